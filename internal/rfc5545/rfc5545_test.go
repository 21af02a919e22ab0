package rfc5545

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/teambition/rrule-go"
)

// Every rule CheckByDay accepts expands without a panic over four years of
// every month start (rrule-go indexes a year's day table with the ordinal),
// and the ones it refuses name the value and the bound.
func TestCheckByDay(t *testing.T) {
	for _, tc := range []struct {
		rule string
		err  string
	}{
		{"FREQ=MONTHLY;BYDAY=5FR", ""},
		{"FREQ=MONTHLY;BYDAY=-5FR", ""},
		{"FREQ=MONTHLY;BYDAY=+2TU", ""},
		{"FREQ=YEARLY;BYDAY=53FR", ""},
		{"FREQ=YEARLY;BYDAY=-53FR", ""},
		{"FREQ=YEARLY;BYMONTH=12;BYDAY=5FR", ""},
		{"FREQ=WEEKLY;BYDAY=MO,FR", ""},
		{"FREQ=MONTHLY;BYDAY=10FR", "BYDAY=10FR: 10 is outside -5 to 5: a month has at most 5 of each weekday"},
		{"FREQ=MONTHLY;BYDAY=6FR", "BYDAY=6FR: 6 is outside -5 to 5"},
		{"FREQ=MONTHLY;BYDAY=-6FR", "BYDAY=-6FR: -6 is outside -5 to 5"},
		{"FREQ=YEARLY;BYMONTH=1;BYDAY=-6FR", "BYDAY=-6FR: -6 is outside -5 to 5"},
		{"FREQ=WEEKLY;BYDAY=2FR", "BYDAY=2FR: a numbered weekday needs FREQ=MONTHLY or YEARLY"},
		{"FREQ=YEARLY;BYWEEKNO=20;BYDAY=1MO", "BYDAY=1MO: a numbered weekday cannot go with BYWEEKNO"},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			opt, err := rrule.StrToROption(tc.rule)
			require.NoError(t, err)
			err = CheckByDay(opt)
			if tc.err != "" {
				assert.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			for m := range 48 {
				opt.Dtstart = time.Date(2024, time.Month(1+m), 1, 0, 0, 0, 0, time.UTC)
				r, err := rrule.NewRRule(*opt)
				require.NoError(t, err)
				assert.NotPanics(t, func() { r.Between(opt.Dtstart, opt.Dtstart.AddDate(2, 0, 0), true) })
			}
		})
	}
}

func TestCheckStart(t *testing.T) {
	assert.NoError(t, CheckStart(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)))
	assert.NoError(t, CheckStart(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)))
	assert.EqualError(t, CheckStart(time.Date(1, 2, 1, 0, 0, 0, 0, time.UTC)), "the year 1 is outside 1900 to 9999")
	assert.Error(t, CheckStart(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)))
}
