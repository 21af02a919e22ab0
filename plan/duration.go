package plan

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Duration is a time.Duration that scenario files write as a Go duration
// with an optional leading day count: "7d", "36h", "1d12h", "90m". The zero
// value is zero.
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// ParseDuration parses "Nd", a Go duration, or both ("1d12h"). Negative
// values are accepted here; fields that must be positive say so in Validate.
// A duration past time.Duration's range (about 292 years) is an error.
func ParseDuration(s string) (Duration, error) {
	t := strings.TrimSpace(s)
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimPrefix(t, "-")
	var total time.Duration
	if i := strings.IndexByte(t, 'd'); i > 0 {
		days, err := strconv.ParseFloat(t[:i], 64)
		if err != nil || !(days >= 0) {
			return 0, fmt.Errorf("%q is not a duration (want e.g. \"7d\", \"36h\", \"1d12h\")", s)
		}
		ns := days * float64(24*time.Hour)
		if ns >= maxNanos {
			return 0, errTooLong(s)
		}
		total = time.Duration(ns)
		t = t[i+1:]
	}
	if t != "" {
		d, err := time.ParseDuration(t)
		if err != nil && validUnits.MatchString(t) {
			return 0, errTooLong(s)
		}
		if err != nil || d < 0 {
			return 0, fmt.Errorf("%q is not a duration (want e.g. \"7d\", \"36h\", \"1d12h\")", s)
		}
		if total > math.MaxInt64-d {
			return 0, errTooLong(s)
		}
		total += d
	} else if total == 0 && !strings.Contains(s, "d") {
		return 0, fmt.Errorf("%q is not a duration (want e.g. \"7d\", \"36h\", \"1d12h\")", s)
	}
	if neg {
		total = -total
	}
	return Duration(total), nil
}

// maxNanos is the first float64 past the longest time.Duration.
const maxNanos = float64(math.MaxInt64)

// validUnits matches what time.ParseDuration reads, so that its error on
// such a text can only be an overflow.
var validUnits = regexp.MustCompile(`^(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$`)

func errTooLong(s string) error {
	return fmt.Errorf("%q is longer than the longest duration, about 106,751 days", s)
}

// String formats d as ParseDuration reads it: whole days as "Nd", the rest
// as a Go duration.
func (d Duration) String() string {
	v := time.Duration(d)
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	day := 24 * time.Hour
	switch {
	case v == 0:
		return "0s"
	case v%day == 0:
		return fmt.Sprintf("%s%dd", sign, v/day)
	case v > day:
		return fmt.Sprintf("%s%dd%s", sign, v/day, (v % day).String())
	}
	return sign + v.String()
}

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("%s is not a duration string (want e.g. \"7d\", \"36h\")", string(b))
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
