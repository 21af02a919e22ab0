package window_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/patchsim/patchsim/window"
)

func TestParseClock(t *testing.T) {
	for _, tc := range []struct {
		in   string
		end  bool
		want time.Duration
		err  string
	}{
		{"00:00", false, 0, ""},
		{"22:30", false, 22*time.Hour + 30*time.Minute, ""},
		{"9:05", false, 9*time.Hour + 5*time.Minute, ""},
		{"23:59", true, 23*time.Hour + 59*time.Minute, ""},
		{"24:00", true, 24 * time.Hour, ""},
		{"24:00", false, 0, `"24:00" is not HH:MM from 00:00 to 23:59`},
		{"24:01", true, 0, `"24:01" is not HH:MM from 00:00 to 24:00`},
		{"12:60", false, 0, `"12:60" is not HH:MM from 00:00 to 23:59`},
		{"123:00", false, 0, `"123:00" is not HH:MM from 00:00 to 23:59`},
		{"12:5", false, 0, `"12:5" is not HH:MM from 00:00 to 23:59`},
		{"-1:00", false, 0, `"-1:00" is not HH:MM from 00:00 to 23:59`},
		{"", true, 0, `"" is not HH:MM from 00:00 to 24:00`},
	} {
		got, err := window.ParseClock(tc.in, tc.end)
		if tc.err != "" {
			assert.EqualError(t, err, tc.err, tc.in)
			continue
		}
		assert.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
}

func TestParseWeekday(t *testing.T) {
	for in, want := range map[string]time.Weekday{"Sunday": time.Sunday, "mon": time.Monday, "TUESDAY": time.Tuesday, "Sat": time.Saturday} {
		got, err := window.ParseWeekday(in)
		assert.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "Funday", "Mo", "Mond"} {
		_, err := window.ParseWeekday(in)
		assert.EqualError(t, err, `"`+in+`" is not a day of the week (Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, or their first three letters)`)
	}
}
