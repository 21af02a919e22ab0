package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/internal/outfile"
	"github.com/patchsim/patchsim/plan"
)

// Figure sizes.
const (
	figWidth  = 8 * vg.Inch
	figHeight = 5 * vg.Inch
)

// WriteFigures writes the figures of c into dir (created if needed), each
// in every format given ("png", "svg"; none means both):
// exposure-cdf-critical, -high, -medium and -low, past-sla, pareto,
// exposure-breakdown (of the objective's severity; left out when no
// variant had advisories of it) and rollout (the first
// rollout of the first variant that reimages; left out when no variant's
// traced replication rolled anything out) and, under Fleet Manager,
// stage-times (StageTimes). It returns the
// paths written, sorted. It needs a comparison run with
// plan.Options.Distributions and Trace. The same comparison gives the same
// bytes. Every figure is drawn before the first is written, and each file
// is written whole or not at all (through a temporary file renamed into
// place), so a failure leaves no partial figure.
func WriteFigures(dir string, c *plan.Comparison, formats ...string) ([]string, error) {
	if c == nil {
		return nil, errors.New("report: nil comparison")
	}
	formats, err := figureFormats(formats)
	if err != nil {
		return nil, err
	}
	figs := figures(c)
	files := map[string][]byte{}
	var paths []string
	for _, f := range figs {
		p, err := f.make()
		if err != nil {
			return nil, err
		}
		for _, format := range formats {
			b, err := render(p, format)
			if err != nil {
				return nil, err
			}
			path := filepath.Join(dir, f.name+"."+format)
			files[path] = b
			paths = append(paths, path)
		}
	}
	sort.Strings(paths)
	if err := writeAll(dir, paths, files); err != nil {
		return nil, err
	}
	return paths, nil
}

// figureFormats returns the formats figures are written in: formats, or
// png and svg when none is given; an error names every one that is not
// png or svg.
func figureFormats(formats []string) ([]string, error) {
	if len(formats) == 0 {
		return []string{"png", "svg"}, nil
	}
	var errs []error
	for i, f := range formats {
		if f != "png" && f != "svg" {
			errs = append(errs, fmt.Errorf("report: formats[%d]: %q is not png or svg", i, f))
		}
	}
	return formats, errors.Join(errs...)
}

// writeAll creates dir and writes files[path] to each of paths, each file
// whole or not at all.
func writeAll(dir string, paths []string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	for _, path := range paths {
		err := outfile.Write(path, func(w io.Writer) error {
			_, err := w.Write(files[path])
			return err
		})
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	return nil
}

// figure is one of the figures WriteFigures writes: its file name without
// extension and how to draw it.
type figure struct {
	name string
	make func() (*plot.Plot, error)
}

// figures lists the figures of c in the order WriteFigures and pages show
// them; the rollout only when a variant's traced replication rolled out.
func figures(c *plan.Comparison) []figure {
	var figs []figure
	for sev := range channel.Severity(channel.NumSeverities) {
		figs = append(figs, figure{"exposure-cdf-" + severityLabel(sev), func() (*plot.Plot, error) { return ExposureCDF(c, sev) }})
	}
	figs = append(figs,
		figure{"past-sla", func() (*plot.Plot, error) { return PastSLA(c) }},
		figure{"pareto", func() (*plot.Plot, error) { return Pareto(c) }},
	)
	if sev := objectiveSeverity(c); breakdownShown(c, sev) {
		figs = append(figs, figure{"exposure-breakdown", func() (*plot.Plot, error) { return ExposureBreakdown(c, sev) }})
	}
	if rolledOut(c) {
		figs = append(figs, figure{"rollout", func() (*plot.Plot, error) { return rolloutOf(c) }})
	}
	if hasStages(c) {
		figs = append(figs, figure{"stage-times", func() (*plot.Plot, error) { return StageTimes(c) }})
	}
	return figs
}

// hasStages reports whether a variant ran Fleet Manager stages.
func hasStages(c *plan.Comparison) bool {
	for _, v := range c.Variants {
		if len(v.Stages) > 0 {
			return true
		}
	}
	return false
}

// rolledOut reports whether a variant's trace holds a rollout step.
func rolledOut(c *plan.Comparison) bool {
	for _, v := range c.Variants {
		if len(v.Actions) > 0 {
			return true
		}
	}
	return false
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
