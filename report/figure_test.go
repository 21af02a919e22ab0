package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/report"
)

func render(t *testing.T, p *plot.Plot, format string) []byte {
	t.Helper()
	wt, err := p.WriterTo(6*vg.Inch, 4*vg.Inch, format)
	require.NoError(t, err)
	var b bytes.Buffer
	_, err = wt.WriteTo(&b)
	require.NoError(t, err)
	return b.Bytes()
}

func TestFiguresRenderDeterministically(t *testing.T) {
	c := shortDefault(t)
	figs := map[string]func() (*plot.Plot, error){
		"pareto":   func() (*plot.Plot, error) { return report.Pareto(c) },
		"past-sla": func() (*plot.Plot, error) { return report.PastSLA(c) },
		"rollout":  func() (*plot.Plot, error) { return report.Rollout(c, 0, time.Time{}, time.Time{}) },
	}
	for sev := range channel.Severity(channel.NumSeverities) {
		figs["cdf-"+sev.String()] = func() (*plot.Plot, error) { return report.ExposureCDF(c, sev) }
	}
	for name, mk := range figs {
		t.Run(name, func(t *testing.T) {
			for _, format := range []string{"png", "svg"} {
				a, err := mk()
				require.NoError(t, err)
				b, err := mk()
				require.NoError(t, err)
				first, second := render(t, a, format), render(t, b, format)
				assert.NotEmpty(t, first)
				assert.True(t, bytes.Equal(first, second), "%s %s differs between two renderings", name, format)
			}
		})
	}
}

func TestWriteFigures(t *testing.T) {
	c := shortDefault(t)
	a, b := t.TempDir(), t.TempDir()
	pa, err := report.WriteFigures(a, c)
	require.NoError(t, err)
	pb, err := report.WriteFigures(b, c, "png", "svg")
	require.NoError(t, err)
	var names []string
	for _, p := range pa {
		names = append(names, filepath.Base(p))
	}
	assert.Equal(t, []string{
		"exposure-breakdown.png", "exposure-breakdown.svg", "exposure-cdf-critical.png", "exposure-cdf-critical.svg", "exposure-cdf-high.png", "exposure-cdf-high.svg",
		"exposure-cdf-low.png", "exposure-cdf-low.svg", "exposure-cdf-medium.png", "exposure-cdf-medium.svg",
		"pareto.png", "pareto.svg", "past-sla.png", "past-sla.svg", "rollout.png", "rollout.svg"}, names)
	require.Len(t, pb, len(pa))
	for i := range pa {
		x, err := os.ReadFile(pa[i])
		require.NoError(t, err)
		y, err := os.ReadFile(pb[i])
		require.NoError(t, err)
		assert.True(t, bytes.Equal(x, y), "%s differs between two writes", names[i])
	}
	svgOnly, err := report.WriteFigures(t.TempDir(), c, "svg")
	require.NoError(t, err)
	assert.Len(t, svgOnly, 8)
}

func TestFigureErrors(t *testing.T) {
	c := handMade() // no distributions, no trace, three variants
	for _, tc := range []struct {
		name string
		draw func() error
		want []string
	}{
		{"CDF without distributions", func() error { _, err := report.ExposureCDF(c, channel.Critical); return err }, []string{"Options.Distributions"}},
		{"past SLA without distributions", func() error { _, err := report.PastSLA(c); return err }, []string{"Options.Distributions"}},
		{"rollout without trace", func() error { _, err := report.Rollout(c, 0, time.Time{}, time.Time{}); return err }, []string{"Options.Trace"}},
		{"rollout of no such variant", func() error { _, err := report.Rollout(c, 3, time.Time{}, time.Time{}); return err }, []string{"report: variant 3 is outside 0 to 2"}},
		{"unknown formats, each named", func() error { _, err := report.WriteFigures(t.TempDir(), c, "gif", "jpg"); return err },
			[]string{`report: formats[0]: "gif" is not png or svg`, `report: formats[1]: "jpg" is not png or svg`}},
		{"no such severity", func() error { _, err := report.ExposureCDF(shortDefault(t), channel.Severity(9)); return err }, []string{"report: severity 9"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.draw()
			for _, w := range tc.want {
				assert.ErrorContains(t, err, w)
			}
		})
	}
}

func TestParetoDrawsInfiniteExposure(t *testing.T) {
	// The hand-made comparison's third variant has a +Inf exposure mean.
	p, err := report.Pareto(handMade())
	require.NoError(t, err)
	svg := string(render(t, p, "svg"))
	assert.Contains(t, svg, "&gt;90d", "the top edge is labelled as beyond the horizon")
	assert.Contains(t, svg, "not reached within 90 days")
}

func TestRolloutWindow(t *testing.T) {
	c := shortDefault(t)
	var first time.Time
	for _, a := range c.Variants[0].Actions {
		if first.IsZero() || a.Start.Before(first) {
			first = a.Start
		}
	}
	require.False(t, first.IsZero())
	p, err := report.Rollout(c, 0, first, first.Add(6*time.Hour))
	require.NoError(t, err)
	assert.Contains(t, p.Title.Text, "Rollout of pool prod/")
	_, err = report.Rollout(c, 0, first, first)
	assert.ErrorContains(t, err, "to must be after from")
	_, err = report.Rollout(c, 0, c.Start.Add(-48*time.Hour), c.Start.Add(-47*time.Hour))
	assert.ErrorContains(t, err, "no rollout step between")
}
