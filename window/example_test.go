package window_test

import (
	"fmt"
	"time"

	"github.com/patchsim/patchsim/window"
)

func ExampleParseConfigurations() {
	// What `az aks maintenanceconfiguration show -o json` prints, trimmed.
	data := []byte(`{
	  "name": "aksManagedNodeOSUpgradeSchedule",
	  "maintenanceWindow": {
	    "schedule": {"daily": null, "weekly": {"intervalWeeks": 2, "dayOfWeek": "Sunday"}, "absoluteMonthly": null, "relativeMonthly": null},
	    "durationHours": 4, "utcOffset": "+02:00", "startDate": "2025-06-01", "startTime": "03:00",
	    "notAllowedDates": [{"start": "2025-06-28", "end": "2025-07-06"}]
	  },
	  "timeInWeek": null, "notAllowedTime": null
	}`)
	cfgs, err := window.ParseConfigurations(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := cfgs[0].Schedule(time.Time{}) // startDate is set: no anchor needed
	if err != nil {
		fmt.Println(err)
		return
	}
	from := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	n := 0
	for iv := range window.Between(s, from, from.AddDate(0, 2, 0)) {
		fmt.Println(cfgs[0].Name, iv.Start.Format(time.RFC3339), iv.End.Format(time.RFC3339))
		n++
	}
	// Output:
	// aksManagedNodeOSUpgradeSchedule 2025-06-01T01:00:00Z 2025-06-01T05:00:00Z
	// aksManagedNodeOSUpgradeSchedule 2025-06-15T01:00:00Z 2025-06-15T05:00:00Z
	// aksManagedNodeOSUpgradeSchedule 2025-07-13T01:00:00Z 2025-07-13T05:00:00Z
	// aksManagedNodeOSUpgradeSchedule 2025-07-27T01:00:00Z 2025-07-27T05:00:00Z
}

func ExampleMaintenanceConfiguration_Validate() {
	cfg := window.MaintenanceConfiguration{
		Name: window.NameAutoUpgrade,
		MaintenanceWindow: &window.MaintenanceWindow{
			Schedule:      window.Recurrence{AbsoluteMonthly: &window.AbsoluteMonthlySchedule{IntervalMonths: 12, DayOfMonth: 31}},
			DurationHours: 3,
			StartTime:     "02:00",
		},
	}
	fmt.Println(cfg.Validate())
	// Output:
	// window: maintenanceWindow.durationHours: 3 is below the minimum 4
	// window: maintenanceWindow.schedule.absoluteMonthly.intervalMonths: 12 is above the maximum 6
}

func ExampleMaintenanceConfiguration_Schedule() {
	// The last Friday of every month, 22:00 at -05:00, for 8 hours; no
	// startDate, so the scenario start anchors the recurrence.
	cfg := window.MaintenanceConfiguration{MaintenanceWindow: &window.MaintenanceWindow{
		Schedule:      window.Recurrence{RelativeMonthly: &window.RelativeMonthlySchedule{IntervalMonths: 1, DayOfWeek: "Friday", WeekIndex: "Last"}},
		DurationHours: 8,
		UTCOffset:     "-05:00",
		StartTime:     "22:00",
	}}
	start := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	s, err := cfg.Schedule(start)
	if err != nil {
		fmt.Println(err)
		return
	}
	iv, _ := s.Next(start)
	fmt.Println(iv.Start.Format(time.RFC3339), iv.End.Format(time.RFC3339))
	fmt.Println(window.Open(s, iv.Start.Add(7*time.Hour)), window.Open(s, iv.End))
	// Output:
	// 2025-12-27T03:00:00Z 2025-12-27T11:00:00Z
	// true false
}

func ExampleRRule() {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		fmt.Println(err)
		return
	}
	// Saturdays 02:30 Paris time for 3 hours: 01:30 UTC in winter, 00:30
	// UTC once summer time starts on 2025-03-30.
	s, err := window.RRule{Rule: "FREQ=WEEKLY;BYDAY=SA", Start: time.Date(2025, 3, 1, 2, 30, 0, 0, time.UTC), Duration: 3 * time.Hour, Location: paris}.Schedule()
	if err != nil {
		fmt.Println(err)
		return
	}
	from := time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC)
	for iv := range window.Between(s, from, from.AddDate(0, 0, 21)) {
		fmt.Println(iv.Start.Format(time.RFC3339), iv.End.Format(time.RFC3339))
	}
	// Output:
	// 2025-03-22T01:30:00Z 2025-03-22T04:30:00Z
	// 2025-03-29T01:30:00Z 2025-03-29T04:30:00Z
	// 2025-04-05T00:30:00Z 2025-04-05T03:30:00Z
}

func ExampleCron() {
	// A Karpenter-style budget window: weekdays 02:00 UTC for 2 hours.
	s, err := window.Cron{Expr: "0 2 * * mon-fri", Duration: 2 * time.Hour}.Schedule()
	if err != nil {
		fmt.Println(err)
		return
	}
	iv, _ := s.Next(time.Date(2025, 1, 4, 12, 0, 0, 0, time.UTC)) // a Saturday
	fmt.Println(iv.Start.Format(time.RFC3339), iv.End.Format(time.RFC3339))
	// Output:
	// 2025-01-06T02:00:00Z 2025-01-06T04:00:00Z
}

func ExampleWeekdayHours() {
	// kured: reboot on Friday and Saturday nights, 23:00 to 05:00.
	s, err := window.WeekdayHours{Days: []time.Weekday{time.Friday, time.Saturday}, Start: 23 * time.Hour, End: 5 * time.Hour}.Schedule()
	if err != nil {
		fmt.Println(err)
		return
	}
	iv, _ := s.Next(time.Date(2025, 1, 4, 3, 0, 0, 0, time.UTC)) // early Saturday
	fmt.Println(iv.Start.Format(time.RFC3339), iv.End.Format(time.RFC3339))
	// Output:
	// 2025-01-03T23:00:00Z 2025-01-04T05:00:00Z
}

func ExampleUnion() {
	a, _ := window.Cron{Expr: "0 1 * * *", Duration: 2 * time.Hour}.Schedule()
	b, _ := window.Cron{Expr: "0 3 * * *", Duration: time.Hour}.Schedule()
	iv, _ := window.Union(a, b).Next(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	fmt.Println(iv.Start.Format(time.RFC3339), iv.End.Format(time.RFC3339))
	// Output:
	// 2025-01-01T01:00:00Z 2025-01-01T04:00:00Z
}

func ExampleExcept() {
	daily, _ := window.Cron{Expr: "@daily", Duration: 6 * time.Hour}.Schedule()
	freeze := window.Interval{Start: time.Date(2025, 1, 2, 2, 0, 0, 0, time.UTC), End: time.Date(2025, 1, 3, 3, 0, 0, 0, time.UTC)}
	s := window.Except(daily, freeze)
	from := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	for iv := range window.Between(s, from, from.AddDate(0, 0, 2)) {
		fmt.Println(iv.Start.Format(time.RFC3339), iv.End.Format(time.RFC3339))
	}
	// Output:
	// 2025-01-02T00:00:00Z 2025-01-02T02:00:00Z
	// 2025-01-03T03:00:00Z 2025-01-03T06:00:00Z
}

func ExampleAlways() {
	fmt.Println(window.Open(window.Always, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)))
	// Output:
	// true
}

func ExampleBetween() {
	s, _ := window.Cron{Expr: "0 22 * * fri", Duration: 4 * time.Hour}.Schedule()
	from := time.Date(2025, 1, 4, 0, 0, 0, 0, time.UTC) // inside Friday's window
	for iv := range window.Between(s, from, from.AddDate(0, 0, 14)) {
		fmt.Println(iv.Start.Format(time.RFC3339), iv.End.Format(time.RFC3339))
	}
	// Output:
	// 2025-01-03T22:00:00Z 2025-01-04T02:00:00Z
	// 2025-01-10T22:00:00Z 2025-01-11T02:00:00Z
	// 2025-01-17T22:00:00Z 2025-01-18T02:00:00Z
}
