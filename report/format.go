package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/patchsim/patchsim/plan"
)

// notApplicable is printed for a NaN value: the metric does not apply (no
// advisory of that severity, or a single replication's spread).
const notApplicable = "n/a"

// horizonDays returns the comparison's simulated length in whole days.
func horizonDays(c *plan.Comparison) int {
	return int(math.Round(c.End.Sub(c.Start).Hours() / 24))
}

// formatter prints values of one comparison.
type formatter struct {
	horizon int // days
}

// value formats x, a value of a metric with the given unit: days with one
// decimal, shares as percentages, other units with three significant
// figures or at least no decimals. +Inf is ">Nd" for days (not reached
// within the N-day horizon) and "inf" otherwise; NaN is "n/a".
func (f formatter) value(x plan.Float, unit string) string {
	v := float64(x)
	switch {
	case math.IsNaN(v):
		return notApplicable
	case math.IsInf(v, 1):
		if unit == "days" {
			return ">" + strconv.Itoa(f.horizon) + "d"
		}
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	switch unit {
	case "days":
		return trimNegZero(strconv.FormatFloat(v, 'f', 1, 64))
	case "share":
		return trimNegZero(strconv.FormatFloat(100*v, 'f', 1, 64)) + "%"
	}
	return trimNegZero(strconv.FormatFloat(v, 'f', decimals(v), 64))
}

// diff formats a paired difference: signed, shares in percentage points,
// +Inf as "+inf".
func (f formatter) diff(x plan.Float, unit string) string {
	v := float64(x)
	switch {
	case math.IsNaN(v):
		return notApplicable
	case math.IsInf(v, 1):
		return "+inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	var s string
	switch unit {
	case "days":
		s = strconv.FormatFloat(v, 'f', 1, 64)
	case "share":
		s = strconv.FormatFloat(100*v, 'f', 1, 64)
	default:
		s = strconv.FormatFloat(v, 'f', decimals(v), 64)
	}
	s = trimNegZero(s)
	if !strings.HasPrefix(s, "-") && strings.Trim(s, "0.") != "" {
		s = "+" + s
	}
	if unit == "share" {
		s += "pp"
	}
	return s
}

// decimals gives three significant figures below 100 and none above.
func decimals(v float64) int {
	a := math.Abs(v)
	switch {
	case a == 0 || a >= 100:
		return 0
	case a >= 10:
		return 1
	}
	return 2
}

// trimNegZero turns "-0.0" into "0.0".
func trimNegZero(s string) string {
	if strings.Trim(s, "-0.") == "" && strings.HasPrefix(s, "-") {
		return s[1:]
	}
	return s
}

// stat formats a Stat's value (see plan.Stat.Value; the mean of a
// paired difference), and its 95% interval when ci is set. An interval is
// left out when it would only repeat the value, or has an infinite or
// undefined bound (but a pooled quantile's may end past the horizon, as
// ">Nd").
func (f formatter) stat(s plan.Stat, unit string, ci, isDiff bool) string {
	fmtv, x, lo, hi := f.value, s.Value(), s.Lo, s.Hi
	if isDiff {
		fmtv, x = f.diff, s.Mean
	} else {
		lo, hi = s.Interval()
	}
	out := fmtv(x, unit)
	openEnd := !isDiff && s.Pooled != nil && math.IsInf(float64(hi), 1)
	if !ci || !finite(x) || !finite(lo) || !finite(hi) && !openEnd {
		return out
	}
	l, h := fmtv(lo, unit), fmtv(hi, unit)
	if l == out && h == out {
		return out
	}
	return out + " [" + l + ", " + h + "]"
}

// percent formats n of total as a whole percentage, "<1%" for a small
// non-zero share.
func percent(n, total int) string {
	if total == 0 {
		return notApplicable
	}
	p := 100 * float64(n) / float64(total)
	if n > 0 && p < 1 {
		return "<1%"
	}
	return strconv.FormatFloat(p, 'f', 0, 64) + "%"
}

func finite(x plan.Float) bool {
	return !math.IsNaN(float64(x)) && !math.IsInf(float64(x), 0)
}

// unitLabel is the short unit shown under a column title.
func unitLabel(unit string) string {
	if unit == "share" {
		return "%"
	}
	return unit
}

// csvFloat writes x for CSV: the shortest exact decimal, "+Inf"/"-Inf",
// and an empty field for NaN.
func csvFloat(x plan.Float) string {
	v := float64(x)
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// date formats t as a day, or with the time when it is not midnight UTC.
func date(t time.Time) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return t.Format("2006-01-02")
	}
	return t.Format(time.RFC3339)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
