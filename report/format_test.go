package report

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/patchsim/patchsim/plan"
)

// The rules of every printed number, by unit, over a 90-day horizon.
func TestFormatterValueAndDiff(t *testing.T) {
	f := formatter{horizon: 90}
	inf, nan := plan.Float(math.Inf(1)), plan.Float(math.NaN())
	for _, tc := range []struct {
		x          plan.Float
		unit       string
		value, dif string
	}{
		{1.26, "days", "1.3", "+1.3"},
		{-0.3, "days", "-0.3", "-0.3"},
		{-0.04, "days", "0.0", "0.0"}, // no "-0.0", and no sign on a zero
		{0.01, "days", "0.0", "0.0"},
		{inf, "days", ">90d", "+inf"}, // not reached within the horizon
		{-inf, "days", "-inf", "-inf"},
		{nan, "days", "n/a", "n/a"},
		{0.123, "share", "12.3%", "+12.3pp"},
		{1, "share", "100.0%", "+100.0pp"},
		{-0.004, "share", "-0.4%", "-0.4pp"},
		{0, "share", "0.0%", "0.0pp"},
		{inf, "share", "inf", "+inf"},
		{1234.6, "count", "1235", "+1235"}, // three significant figures or whole
		{250.4, "count", "250", "+250"},
		{12.345, "node-hours", "12.3", "+12.3"},
		{1.2345, "per node-month", "1.23", "+1.23"},
		{-1.2345, "per node-month", "-1.23", "-1.23"},
		{0, "count", "0", "0"},
		{-0.001, "count", "0.00", "0.00"},
	} {
		assert.Equal(t, tc.value, f.value(tc.x, tc.unit), "value(%v, %s)", tc.x, tc.unit)
		assert.Equal(t, tc.dif, f.diff(tc.x, tc.unit), "diff(%v, %s)", tc.x, tc.unit)
	}
}

// A stat prints its value and, asked for, an interval that says something.
func TestFormatterStat(t *testing.T) {
	f := formatter{horizon: 90}
	inf, nan := plan.Float(math.Inf(1)), plan.Float(math.NaN())
	for _, tc := range []struct {
		name     string
		s        plan.Stat
		unit     string
		ci, diff bool
		want     string
	}{
		{"mean and interval", plan.Stat{Mean: 2, Lo: 1.5, Hi: 2.5}, "days", true, false, "2.0 [1.5, 2.5]"},
		{"no interval unless asked", plan.Stat{Mean: 2, Lo: 1.5, Hi: 2.5}, "days", false, false, "2.0"},
		{"an interval that prints as the value is left out", plan.Stat{Mean: 2, Lo: 1.98, Hi: 2.02}, "days", true, false, "2.0"},
		{"an infinite bound is left out", plan.Stat{Mean: 5, Lo: 4, Hi: inf}, "days", true, false, "5.0"},
		{"an undefined bound is left out", plan.Stat{Mean: 5, Lo: nan, Hi: nan}, "days", true, false, "5.0"},
		{"the pooled quantile and its interval", plan.Stat{Mean: 3, Lo: 2, Hi: 4, Pooled: &plan.Pooled{Value: 29.4, Lo: 28, Hi: 31.2}}, "days", true, false, "29.4 [28.0, 31.2]"},
		{"a pooled interval may end past the horizon", plan.Stat{Mean: inf, Lo: inf, Hi: inf, Pooled: &plan.Pooled{Value: 29.4, Lo: 28, Hi: inf}}, "days", true, false, "29.4 [28.0, >90d]"},
		{"a difference is signed, its mean not the pooled value", plan.Stat{Mean: 1.5, Lo: -0.5, Hi: 3.5, Pooled: &plan.Pooled{Value: 9}}, "days", true, true, "+1.5 [-0.5, +3.5]"},
		{"a share difference in points", plan.Stat{Mean: 0.02, Lo: 0.01, Hi: 0.03}, "share", true, true, "+2.0pp [+1.0pp, +3.0pp]"},
		{"not applicable", plan.Stat{Mean: nan, Lo: nan, Hi: nan}, "days", true, false, "n/a"},
		{"not reached", plan.Stat{Mean: inf, Lo: inf, Hi: inf}, "days", true, false, ">90d"},
	} {
		assert.Equal(t, tc.want, f.stat(tc.s, tc.unit, tc.ci, tc.diff), tc.name)
	}
}

func TestSmallFormats(t *testing.T) {
	for _, tc := range []struct {
		n, total int
		want     string
	}{{0, 0, "n/a"}, {0, 10, "0%"}, {1, 200, "<1%"}, {1, 3, "33%"}, {2, 3, "67%"}, {3, 3, "100%"}} {
		assert.Equal(t, tc.want, percent(tc.n, tc.total), "%d of %d", tc.n, tc.total)
	}
	for x, want := range map[float64]string{0.1: "0.1", 1e21: "1e+21", math.Inf(1): "+Inf", math.Inf(-1): "-Inf", math.NaN(): "", 7: "7"} {
		assert.Equal(t, want, csvFloat(plan.Float(x)), "csvFloat(%v)", x)
	}
	paris := time.FixedZone("CET", 3600)
	assert.Equal(t, "2025-01-06", date(time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, "2025-01-06T12:30:00Z", date(time.Date(2025, 1, 6, 12, 30, 0, 0, time.UTC)))
	assert.Equal(t, "2025-01-05T23:00:00Z", date(time.Date(2025, 1, 6, 0, 0, 0, 0, paris)), "midnight in Paris is not midnight UTC")
	assert.Equal(t, "1 variant", plural(1, "variant", "variants"))
	assert.Equal(t, "0 variants", plural(0, "variant", "variants"))
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, 90, horizonDays(&plan.Comparison{Start: start, End: start.Add(89*24*time.Hour + 13*time.Hour)}), "rounded to whole days")
	assert.Equal(t, 89, horizonDays(&plan.Comparison{Start: start, End: start.Add(89*24*time.Hour + 11*time.Hour)}))
}

// Axis labels carry the unit, once.
func TestMetricLabel(t *testing.T) {
	for key, want := range map[string]string{
		"critical.p95Days":     "Critical p95 exposure (days)",
		"pastSLAShare":         "Nodes past SLA (mean daily share) (%)",
		"reimagesPerNodeMonth": "Reimages per node-month",
		"evictions":            "Pod evictions",
		"surgeNodeHours":       "Surge node-hours",
	} {
		assert.Equal(t, want, metricLabel(plan.Metrics[plan.MetricIndex(key)]), key)
	}
}
