package window

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Configuration names and the work each governs (reference/aks.md §3.1).
const (
	// NameDefault governs AKS weekly releases (control plane, add-ons);
	// only a weekly schedule or the legacy timeInWeek form is supported.
	NameDefault = "default"
	// NameAutoUpgrade governs cluster auto-upgrade channel operations.
	NameAutoUpgrade = "aksManagedAutoUpgradeSchedule"
	// NameNodeOSUpgrade governs node OS auto-upgrade channel operations.
	NameNodeOSUpgrade = "aksManagedNodeOSUpgradeSchedule"
)

// MaintenanceConfiguration is an AKS maintenance configuration
// (Microsoft.ContainerService/managedClusters/maintenanceConfigurations,
// API 2025-10-01; reference/aks.md §3.2). Its JSON is the flattened shape
// `az aks maintenanceconfiguration show` prints; [ParseConfigurations]
// reads the ARM shapes too. The zero value has no window and is invalid.
type MaintenanceConfiguration struct {
	// Name is one of NameDefault, NameAutoUpgrade, NameNodeOSUpgrade, or
	// empty when the source did not say (a PUT body, a bare window).
	Name string `json:"name,omitempty"`
	// TimeInWeek is the legacy weekly form (NameDefault only).
	TimeInWeek []TimeInWeek `json:"timeInWeek,omitempty"`
	// NotAllowedTime are legacy blackout instants (NameDefault only).
	NotAllowedTime []TimeSpan `json:"notAllowedTime,omitempty"`
	// MaintenanceWindow is the current form.
	MaintenanceWindow *MaintenanceWindow `json:"maintenanceWindow,omitempty"`
}

// MaintenanceWindow is ARM's maintenanceWindow. All times are on the fixed
// UTC offset UTCOffset (no DST; aks.md §3.2).
type MaintenanceWindow struct {
	// Schedule sets exactly one recurrence kind.
	Schedule Recurrence `json:"schedule"`
	// DurationHours is the window length in hours, 4 to 24; 0 means unset
	// (an error: ARM requires it).
	DurationHours int `json:"durationHours"`
	// UTCOffset is "+hh:mm" or "-hh:mm", -12:00 to +14:00; empty means +00:00.
	UTCOffset string `json:"utcOffset,omitempty"`
	// StartDate "YYYY-MM-DD" is the first day the window may open; empty
	// means the anchor given to [MaintenanceConfiguration.Schedule].
	StartDate string `json:"startDate,omitempty"`
	// StartTime "HH:MM" is the opening time of day; required.
	StartTime string `json:"startTime"`
	// NotAllowedDates are blackout date spans, both days inclusive.
	NotAllowedDates []DateSpan `json:"notAllowedDates,omitempty"`
}

// Recurrence is ARM's schedule: exactly one field is set.
type Recurrence struct {
	Daily           *DailySchedule           `json:"daily,omitempty"`
	Weekly          *WeeklySchedule          `json:"weekly,omitempty"`
	AbsoluteMonthly *AbsoluteMonthlySchedule `json:"absoluteMonthly,omitempty"`
	RelativeMonthly *RelativeMonthlySchedule `json:"relativeMonthly,omitempty"`
}

// DailySchedule opens every IntervalDays days (1 to 7).
type DailySchedule struct {
	IntervalDays int `json:"intervalDays"`
}

// WeeklySchedule opens on DayOfWeek every IntervalWeeks weeks (1 to 4).
type WeeklySchedule struct {
	IntervalWeeks int    `json:"intervalWeeks"`
	DayOfWeek     string `json:"dayOfWeek"`
}

// AbsoluteMonthlySchedule opens on DayOfMonth (1 to 31) every
// IntervalMonths months (1 to 6); months without that day have no window.
type AbsoluteMonthlySchedule struct {
	IntervalMonths int `json:"intervalMonths"`
	DayOfMonth     int `json:"dayOfMonth"`
}

// RelativeMonthlySchedule opens on the WeekIndex (First, Second, Third,
// Fourth, Last) DayOfWeek every IntervalMonths months (1 to 6).
type RelativeMonthlySchedule struct {
	IntervalMonths int    `json:"intervalMonths"`
	DayOfWeek      string `json:"dayOfWeek"`
	WeekIndex      string `json:"weekIndex"`
}

// DateSpan is a blackout of whole days "YYYY-MM-DD", both inclusive:
// [Start 00:00, End+1 day 00:00) at the window's utcOffset.
type DateSpan struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// TimeInWeek is a legacy weekly slot set: on Day, each hour h in HourSlots
// is [h:00, h+1:00) UTC; no slots means the whole day.
type TimeInWeek struct {
	Day       string `json:"day"`
	HourSlots []int  `json:"hourSlots,omitempty"`
}

// TimeSpan is a legacy blackout [Start, End) of RFC 3339 instants.
type TimeSpan struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// Limits of ARM's maintenanceWindow fields (API 2025-10-01, aks.md §3.2).
const (
	MinDurationHours  = 4  // durationHours
	MaxDurationHours  = 24 // durationHours
	MaxIntervalDays   = 7  // schedule.daily.intervalDays, from 1
	MaxIntervalWeeks  = 4  // schedule.weekly.intervalWeeks, from 1
	MaxIntervalMonths = 6  // intervalMonths of the monthly schedules, from 1
)

// weekIndexNames are relativeMonthly's weekIndex values: the first to
// fourth weekday of the month, then the last.
var weekIndexNames = [...]string{"First", "Second", "Third", "Fourth", "Last"}

// WeekIndexes returns the values of relativeMonthly's weekIndex, in order.
func WeekIndexes() []string { return append([]string(nil), weekIndexNames[:]...) }

const weekdayList = "Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday"

// weekIndexes maps a weekIndex to its ordinal: 1 to 4, or -1 for Last.
var weekIndexes = func() map[string]int {
	m := map[string]int{}
	for i, n := range weekIndexNames {
		m[n] = i + 1
	}
	m[weekIndexNames[len(weekIndexNames)-1]] = -1
	return m
}()

func checkRange(path string, v, lo, hi int) error {
	switch {
	case v == 0 && lo > 0:
		return errf(path, "required (%d to %d)", lo, hi)
	case v < lo:
		return errf(path, "%d is below the minimum %d", v, lo)
	case v > hi:
		return errf(path, "%d is above the maximum %d", v, hi)
	}
	return nil
}

func checkWeekday(path, v string) error {
	if _, ok := aksWeekday(v); !ok {
		return errf(path, "%q is not one of %s", v, weekdayList)
	}
	return nil
}

// aksWeekday reads a day as AKS writes it: the English name, capitalised.
func aksWeekday(v string) (time.Weekday, bool) {
	d, err := ParseWeekday(v)
	return d, err == nil && v == d.String()
}

// aksDay returns the day of a validated AKS day name.
func aksDay(v string) time.Weekday {
	d, _ := aksWeekday(v)
	return d
}

// Validate reports every problem with c at once (errors.Join), each naming
// its JSON path, the value and what is allowed. Beyond the schema it checks
// the rules of aks.md §3.1: the name is one of the three, NameDefault takes
// only a weekly schedule, and the legacy fields belong to NameDefault.
func (c MaintenanceConfiguration) Validate() error {
	var errs []error
	switch c.Name {
	case "", NameDefault, NameAutoUpgrade, NameNodeOSUpgrade:
	default:
		errs = append(errs, errf("name", "%q is not one of %s, %s, %s", c.Name, NameDefault, NameAutoUpgrade, NameNodeOSUpgrade))
	}
	if c.MaintenanceWindow == nil && len(c.TimeInWeek) == 0 {
		errs = append(errs, errf("maintenanceWindow", "required (or the legacy timeInWeek)"))
	}
	if c.MaintenanceWindow != nil {
		errs = append(errs, c.MaintenanceWindow.Validate())
		if c.Name == NameDefault {
			r := c.MaintenanceWindow.Schedule
			for _, k := range []struct {
				set  bool
				name string
			}{{r.Daily != nil, "daily"}, {r.AbsoluteMonthly != nil, "absoluteMonthly"}, {r.RelativeMonthly != nil, "relativeMonthly"}} {
				if k.set {
					errs = append(errs, errf("maintenanceWindow.schedule."+k.name, "not supported for configuration %q (only weekly)", NameDefault))
				}
			}
		}
	}
	legacy := c.Name == "" || c.Name == NameDefault
	if !legacy && len(c.TimeInWeek) > 0 {
		errs = append(errs, errf("timeInWeek", "only configuration %q takes the legacy timeInWeek", NameDefault))
	}
	if !legacy && len(c.NotAllowedTime) > 0 {
		errs = append(errs, errf("notAllowedTime", "only configuration %q takes the legacy notAllowedTime", NameDefault))
	}
	for i, tw := range c.TimeInWeek {
		p := fmt.Sprintf("timeInWeek[%d]", i)
		errs = append(errs, checkWeekday(p+".day", tw.Day))
		for j, h := range tw.HourSlots {
			if h < 0 || h > 23 {
				errs = append(errs, errf(fmt.Sprintf("%s.hourSlots[%d]", p, j), "%d is outside 0 to 23", h))
			}
		}
	}
	for i, sp := range c.NotAllowedTime {
		_, _, err := sp.interval(fmt.Sprintf("notAllowedTime[%d]", i))
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (sp TimeSpan) interval(path string) (time.Time, time.Time, error) {
	start, err1 := time.Parse(time.RFC3339, sp.Start)
	if err1 != nil {
		err1 = errf(path+".start", "%q is not an RFC 3339 date-time", sp.Start)
	}
	end, err2 := time.Parse(time.RFC3339, sp.End)
	if err2 != nil {
		err2 = errf(path+".end", "%q is not an RFC 3339 date-time", sp.End)
	}
	if err1 == nil && err2 == nil && end.Before(start) {
		err2 = errf(path+".end", "%s is before start %s", sp.End, sp.Start)
	}
	return start, end, errors.Join(err1, err2)
}

// Validate reports every problem with w at once, each naming its JSON path
// under "maintenanceWindow", the value and what is allowed.
func (w MaintenanceWindow) Validate() error {
	const p = "maintenanceWindow"
	var errs []error
	errs = append(errs, checkRange(p+".durationHours", w.DurationHours, MinDurationHours, MaxDurationHours))
	r := w.Schedule
	var kinds []string
	if r.Daily != nil {
		kinds = append(kinds, "daily")
		errs = append(errs, checkRange(p+".schedule.daily.intervalDays", r.Daily.IntervalDays, 1, MaxIntervalDays))
	}
	if r.Weekly != nil {
		kinds = append(kinds, "weekly")
		errs = append(errs, checkRange(p+".schedule.weekly.intervalWeeks", r.Weekly.IntervalWeeks, 1, MaxIntervalWeeks),
			checkWeekday(p+".schedule.weekly.dayOfWeek", r.Weekly.DayOfWeek))
	}
	if r.AbsoluteMonthly != nil {
		kinds = append(kinds, "absoluteMonthly")
		errs = append(errs, checkRange(p+".schedule.absoluteMonthly.intervalMonths", r.AbsoluteMonthly.IntervalMonths, 1, MaxIntervalMonths),
			checkRange(p+".schedule.absoluteMonthly.dayOfMonth", r.AbsoluteMonthly.DayOfMonth, 1, 31))
	}
	if r.RelativeMonthly != nil {
		kinds = append(kinds, "relativeMonthly")
		errs = append(errs, checkRange(p+".schedule.relativeMonthly.intervalMonths", r.RelativeMonthly.IntervalMonths, 1, MaxIntervalMonths),
			checkWeekday(p+".schedule.relativeMonthly.dayOfWeek", r.RelativeMonthly.DayOfWeek))
		if _, ok := weekIndexes[r.RelativeMonthly.WeekIndex]; !ok {
			errs = append(errs, errf(p+".schedule.relativeMonthly.weekIndex", "%q is not one of %s", r.RelativeMonthly.WeekIndex, strings.Join(weekIndexNames[:], ", ")))
		}
	}
	if len(kinds) != 1 {
		errs = append(errs, errf(p+".schedule", "%d kinds set %v; exactly one of daily, weekly, absoluteMonthly, relativeMonthly is required", len(kinds), kinds))
	}
	if _, err := parseOffset(w.UTCOffset); err != nil {
		errs = append(errs, errf(p+".utcOffset", "%v", err))
	}
	if w.StartDate != "" {
		if _, err := parseDate(w.StartDate); err != nil {
			errs = append(errs, errf(p+".startDate", "%v", err))
		}
	}
	if _, err := parseClock(w.StartTime); err != nil {
		errs = append(errs, errf(p+".startTime", "%v", err))
	}
	for i, d := range w.NotAllowedDates {
		q := fmt.Sprintf("%s.notAllowedDates[%d]", p, i)
		s, err1 := parseDate(d.Start)
		if err1 != nil {
			errs = append(errs, errf(q+".start", "%v", err1))
		}
		e, err2 := parseDate(d.End)
		if err2 != nil {
			errs = append(errs, errf(q+".end", "%v", err2))
		}
		if err1 == nil && err2 == nil && e < s {
			errs = append(errs, errf(q+".end", "%s is before start %s", d.End, d.Start))
		}
	}
	return errors.Join(errs...)
}

// parseOffset returns the seconds east of UTC of "+hh:mm"/"-hh:mm" ("" is
// +00:00). The range -12:00 to +14:00 is the span of real UTC offsets
// (assumption: ARM's pattern alone allows any two digits).
func parseOffset(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	bad := fmt.Errorf("%q is not ±hh:mm from -12:00 to +14:00", s)
	if len(s) != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' {
		return 0, bad
	}
	h, err1 := strconv.Atoi(s[1:3])
	m, err2 := strconv.Atoi(s[4:6])
	if err1 != nil || err2 != nil || !isDigits(s[1:3]+s[4:6]) || m > 59 {
		return 0, bad
	}
	off := int64(h*hour + m*60)
	if s[0] == '-' {
		off = -off
	}
	if off < -12*hour || off > 14*hour {
		return 0, bad
	}
	return off, nil
}

func isDigits(s string) bool {
	return strings.Trim(s, "0123456789") == ""
}

// parseClock returns the seconds since midnight of an AKS startTime:
// "HH:MM" with two-digit hours, 00:00 to 23:59.
func parseClock(s string) (int64, error) {
	if len(s) != 5 {
		return 0, fmt.Errorf("%q is not HH:MM from 00:00 to 23:59", s)
	}
	d, err := ParseClock(s, false)
	return int64(d / time.Second), err
}

// parseDate returns the day number of "YYYY-MM-DD".
func parseDate(s string) (int64, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a date YYYY-MM-DD", s)
	}
	return floorDiv(t.Unix(), day), nil
}

// Schedule returns the windows of c (after [MaintenanceConfiguration.Validate]):
// the maintenanceWindow recurrence united with the legacy timeInWeek slots
// when both forms are present, minus every blackout, notAllowedDates and
// notAllowedTime alike (an assumption: AKS migrates the legacy form into
// the new one, aks.md §3.2, and does not say how the two combine).
//
// anchor stands in for a missing startDate (the scenario start): the
// recurrence's DTSTART is then anchor's date at the window's utcOffset, at
// startTime. anchor is ignored when startDate is set.
func (c MaintenanceConfiguration) Schedule(anchor time.Time) (Schedule, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var parts []Schedule
	var black []Interval
	if w := c.MaintenanceWindow; w != nil {
		parts = append(parts, w.recurrence(anchor))
		off, _ := parseOffset(w.UTCOffset)
		for _, d := range w.NotAllowedDates {
			s, _ := parseDate(d.Start)
			e, _ := parseDate(d.End)
			black = append(black, Interval{Start: utc(s*day - off), End: utc((e+1)*day - off)})
		}
	}
	if len(c.TimeInWeek) > 0 {
		var spans []span
		for _, tw := range c.TimeInWeek {
			base := int64((int(aksDay(tw.Day))+6)%7) * day
			if len(tw.HourSlots) == 0 {
				spans = append(spans, span{base, base + day})
			}
			for _, h := range tw.HourSlots {
				spans = append(spans, span{base + int64(h)*hour, base + int64(h+1)*hour})
			}
		}
		parts = append(parts, newWeekSpans(spans, time.UTC))
	}
	for _, sp := range c.NotAllowedTime {
		s, e, _ := sp.interval("")
		black = append(black, Interval{Start: s, End: e})
	}
	s := parts[0]
	if len(parts) > 1 {
		s = Union(parts...)
	}
	return Except(s, black...), nil
}

// recurrence returns the occurrences of a valid w, without blackouts.
func (w MaintenanceWindow) recurrence(anchor time.Time) *aksRecurrence {
	off, _ := parseOffset(w.UTCOffset)
	tod, _ := parseClock(w.StartTime)
	var startDay int64
	if w.StartDate != "" {
		startDay, _ = parseDate(w.StartDate)
	} else {
		startDay = floorDiv(anchor.Unix()+off, day)
	}
	r := &aksRecurrence{offset: off, tod: tod, start: startDay*day + tod, dur: int64(w.DurationHours) * hour}
	switch s := w.Schedule; {
	case s.Daily != nil:
		r.kind, r.interval = aksDaily, int64(s.Daily.IntervalDays)
	case s.Weekly != nil:
		r.kind, r.interval, r.weekday = aksWeekly, int64(s.Weekly.IntervalWeeks), int(aksDay(s.Weekly.DayOfWeek))
	case s.AbsoluteMonthly != nil:
		r.kind, r.interval, r.dom = aksAbsoluteMonthly, int64(s.AbsoluteMonthly.IntervalMonths), s.AbsoluteMonthly.DayOfMonth
	default:
		m := s.RelativeMonthly
		r.kind, r.interval, r.weekday, r.nth = aksRelativeMonthly, int64(m.IntervalMonths), int(aksDay(m.DayOfWeek)), weekIndexes[m.WeekIndex]
	}
	return r
}
