package report

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/plan"
)

// Figure sizes.
const (
	figWidth  = 8 * vg.Inch
	figHeight = 5 * vg.Inch
)

// WriteFigures writes the figures of c into dir (created if needed), each
// in every format given ("png", "svg"; none means both):
// exposure-cdf-critical, -high, -medium and -low, past-sla, pareto and
// rollout (the first rollout of the first variant that reimages).
// It returns the paths written, sorted. It needs a comparison run with
// plan.Options.Distributions and Trace. The same comparison gives the same
// bytes.
func WriteFigures(dir string, c *plan.Comparison, formats ...string) ([]string, error) {
	if c == nil {
		return nil, errors.New("report: nil comparison")
	}
	if len(formats) == 0 {
		formats = []string{"png", "svg"}
	}
	var errs []error
	for i, f := range formats {
		if f != "png" && f != "svg" {
			errs = append(errs, fmt.Errorf("report: formats[%d]: %q is not png or svg", i, f))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	type fig struct {
		name string
		make func() (*plot.Plot, error)
	}
	var figs []fig
	for sev := range channel.Severity(channel.NumSeverities) {
		figs = append(figs, fig{"exposure-cdf-" + severityLabel(sev), func() (*plot.Plot, error) { return ExposureCDF(c, sev) }})
	}
	figs = append(figs,
		fig{"past-sla", func() (*plot.Plot, error) { return PastSLA(c) }},
		fig{"pareto", func() (*plot.Plot, error) { return Pareto(c) }},
		fig{"rollout", func() (*plot.Plot, error) { return rolloutOf(c) }},
	)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var paths []string
	for _, f := range figs {
		p, err := f.make()
		if err != nil {
			return nil, err
		}
		for _, format := range formats {
			path := filepath.Join(dir, f.name+"."+format)
			if err := save(p, path, format); err != nil {
				return nil, err
			}
			paths = append(paths, path)
		}
	}
	sort.Strings(paths)
	return paths, nil
}

// rolloutOf draws the first rollout of the first variant whose trace
// holds a reimage, or of the first variant with a trace.
func rolloutOf(c *plan.Comparison) (*plot.Plot, error) {
	v := -1
	for i := 0; v < 0 && i < len(c.Variants); i++ {
		for _, a := range c.Variants[i].Actions {
			if a.Kind == fleet.ActReimage {
				v = i
				break
			}
		}
	}
	for i := 0; v < 0 && i < len(c.Variants); i++ {
		if len(c.Variants[i].Actions) > 0 {
			v = i
		}
	}
	if v < 0 {
		return nil, errors.New("report: no variant has a rollout trace; run plan.Experiment.Compare with Options.Trace")
	}
	return Rollout(c, v, time.Time{}, time.Time{})
}

// render writes p in format ("png" or "svg") at the figures' size, its
// legend beside the plot (see Draw).
func render(p *plot.Plot, format string) ([]byte, error) {
	wt, err := draw.NewFormattedCanvas(figWidth, figHeight, format)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	Draw(draw.New(wt), p)
	var b bytes.Buffer
	if _, err := wt.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return b.Bytes(), nil
}

func save(p *plot.Plot, path, format string) error {
	b, err := render(p, format)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}
