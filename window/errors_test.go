package window_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/patchsim/patchsim/window"
)

// TestProblemsNameTheirField: every problem of a specification is a
// FieldError naming its field, so callers can name it their own way (the
// CLI names its flags) without reading the message.
func TestProblemsNameTheirField(t *testing.T) {
	for _, tc := range []struct {
		name  string
		err   error
		paths []string
	}{
		{"rrule", window.RRule{Rule: "FREQ=SECONDLY", Duration: -time.Hour}.Validate(), []string{"Start", "Duration", "Rule"}},
		{"cron", window.Cron{Expr: "61 * * * *", Duration: 1500 * time.Millisecond}.Validate(), []string{"Expr", "Duration"}},
		{"weekly", window.WeekdayHours{Days: []time.Weekday{9}, Start: 25 * time.Hour, End: 2 * time.Hour}.Validate(), []string{"Days[0]", "Start"}},
		{"AKS", window.MaintenanceConfiguration{Name: window.NameDefault, MaintenanceWindow: &window.MaintenanceWindow{DurationHours: 2}}.Validate(),
			[]string{"maintenanceWindow.durationHours", "maintenanceWindow.schedule", "maintenanceWindow.startTime"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var paths []string
			var walk func(error)
			walk = func(err error) {
				if j, ok := err.(interface{ Unwrap() []error }); ok {
					for _, e := range j.Unwrap() {
						walk(e)
					}
					return
				}
				var fe *window.FieldError
				if assert.True(t, errors.As(err, &fe), "%v", err) {
					paths = append(paths, fe.Path)
				}
			}
			walk(tc.err)
			assert.Equal(t, tc.paths, paths)
		})
	}
}
