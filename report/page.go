package report

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/patchsim/patchsim/internal/outfile"
	"github.com/patchsim/patchsim/plan"
)

// Page selects what WritePage writes besides the comparison.
type Page struct {
	// Options choose the table's columns, intervals and differences.
	Options Options
	// Version names the build that ran the comparison; the page is stamped
	// with it and with the scenario's hash. Empty leaves it out.
	Version string
}

// WritePage writes a report of c for people into dir (created if needed):
// report.html, one self-contained page (no file or network fetch: the
// figures are inline PNG data URIs) with a stamp naming the scenario, its
// hash, the seed and the version, the header lines of Text (SLA, settle
// period, constraints), the table, the notes (frontier, recommendation and
// why) and every figure of WriteFigures; report.md, the same in Markdown,
// with the figures as PNG files beside it in figures/. It returns the
// paths written, report.html first. It needs a comparison run with
// plan.Options.Distributions and Trace. The same comparison and page give
// the same bytes. Everything is drawn before the first file is written,
// and each file is written whole or not at all.
func WritePage(dir string, c *plan.Comparison, pg Page) ([]string, error) {
	t, err := build(c, pg.Options)
	if err != nil {
		return nil, err
	}
	if err := needDistributions(c); err != nil {
		return nil, err
	}
	type fig struct {
		Name, Title string
		PNG         []byte
	}
	var figs []fig
	for _, f := range figures(c) {
		p, err := f.make()
		if err != nil {
			return nil, err
		}
		b, err := render(p, "png")
		if err != nil {
			return nil, err
		}
		figs = append(figs, fig{Name: f.name, Title: p.Title.Text, PNG: b})
	}
	stamp := fmt.Sprintf("Scenario %s (SHA-256 %.12s), seed %d", c.Scenario, c.Hash, c.Seed)
	if pg.Version != "" {
		stamp += ", patchsim " + pg.Version
	}

	var md bytes.Buffer
	fmt.Fprintf(&md, "# patchsim report: %s\n\n%s.\n\n", mdEscape(c.Scenario), mdEscape(stamp))
	if err := Markdown(&md, c, pg.Options); err != nil {
		return nil, err
	}
	md.WriteString("\n## Figures\n")
	for _, f := range figs {
		fmt.Fprintf(&md, "\n![%s](figures/%s.png)\n", mdEscape(f.Title), f.Name)
	}

	type cell struct {
		Text  string
		Class string
	}
	type row struct {
		Cells []cell
	}
	var rows []row
	for i, r := range t.rows {
		cls := "variant"
		if t.indents[i] {
			cls = "diff"
		}
		cells := []cell{{Text: r[0], Class: cls}}
		for _, x := range r[1:] {
			cells = append(cells, cell{Text: x, Class: "num"})
		}
		rows = append(rows, row{Cells: cells})
	}
	var heads []string
	for j, title := range t.titles {
		if u := t.units[j]; j > 0 && u != "%" && u != "count" && !strings.Contains(strings.ToLower(title), u) {
			title += " (" + u + ")"
		}
		heads = append(heads, title)
	}
	type pageFig struct {
		Title string
		Src   template.URL
	}
	var pfigs []pageFig
	for _, f := range figs {
		pfigs = append(pfigs, pageFig{Title: f.Title, Src: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(f.PNG))})
	}
	var html bytes.Buffer
	err = pageTemplate.Execute(&html, map[string]any{
		"Scenario": c.Scenario, "Stamp": stamp, "Intro": t.intro, "Heads": heads, "Rows": rows,
		"Notes": t.notes, "Warnings": t.warns, "Figures": pfigs,
	})
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}

	if err := os.MkdirAll(filepath.Join(dir, "figures"), 0o755); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	paths := []string{filepath.Join(dir, "report.html"), filepath.Join(dir, "report.md")}
	files := [][]byte{html.Bytes(), md.Bytes()}
	for _, f := range figs {
		paths = append(paths, filepath.Join(dir, "figures", f.Name+".png"))
		files = append(files, f.PNG)
	}
	for i, path := range paths {
		err := outfile.Write(path, func(w io.Writer) error {
			_, err := w.Write(files[i])
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
	}
	return paths, nil
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>patchsim report: {{.Scenario}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #222; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { padding: 0.3em 0.6em; border-bottom: 1px solid #ddd; }
th { text-align: right; vertical-align: bottom; }
th:first-child, td.variant, td.diff { text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.variant { font-weight: bold; }
td.diff { padding-left: 2em; color: #555; }
.stamp { color: #666; font-size: 0.9em; }
figure { margin: 2em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
</style>
</head>
<body>
<h1>patchsim report: {{.Scenario}}</h1>
<p class="stamp">{{.Stamp}}.</p>
{{range .Intro}}<p>{{.}}</p>
{{end}}<div class="scroll"><table>
<thead><tr>{{range .Heads}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr>{{range .Cells}}<td class="{{.Class}}">{{.Text}}</td>{{end}}</tr>
{{end}}</tbody>
</table></div>
<ul>
{{range .Notes}}<li>{{.}}</li>
{{end}}</ul>
{{if .Warnings}}<h2>Warnings</h2>
<ul>
{{range .Warnings}}<li>{{.}}</li>
{{end}}</ul>
{{end}}<h2>Figures</h2>
{{range .Figures}}<figure><img src="{{.Src}}" alt="{{.Title}}" width="768" height="480"><figcaption>{{.Title}}</figcaption></figure>
{{end}}</body>
</html>
`))
