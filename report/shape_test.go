package report_test

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/plan"
	"github.com/patchsim/patchsim/report"
)

// table reads CSV whose every row has the header's width, into rows keyed
// by the header.
func table(t *testing.T, b []byte) (head []string, rows []map[string]string) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll() // refuses ragged rows
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	for _, r := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = r[i]
		}
		rows = append(rows, row)
	}
	return recs[0], rows
}

// TestCSVShapes: one row per (variant, metric), per variant and per
// (variant, pool), each cell the number set in handMade, written exactly;
// names with commas and quotes survive.
func TestCSVShapes(t *testing.T) {
	c := handMade()
	c.Variants[2].Name = `Unmanaged, "win"`
	var long, wide, pools bytes.Buffer
	require.NoError(t, report.CSV(&long, c))
	require.NoError(t, report.WideCSV(&wide, c))
	require.NoError(t, report.PoolCSV(&pools, c))

	_, rows := table(t, long.Bytes())
	require.Len(t, rows, 3*len(plan.Metrics))
	cell := func(variant, metric string) map[string]string {
		t.Helper()
		for _, r := range rows {
			if r["variant"] == variant && r["metric"] == metric {
				return r
			}
		}
		t.Fatalf("no row %s %s", variant, metric)
		return nil
	}
	r := cell("NodeImage", "critical.p95Days")
	assert.Equal(t, []string{"days", "9", "1", "28.9", "1", "28.1", "29.7", "29.4", "28", "31.2"},
		[]string{r["unit"], r["n"], r["inf"], r["mean"], r["sd"], r["lo"], r["hi"], r["pooled"], r["pooled_lo"], r["pooled_hi"]})
	assert.Equal(t, "", r["diff_n"]+r["diff_mean"], "the first variant has no difference")
	r = cell("SecurityPatch", "critical.p95Days")
	assert.Equal(t, []string{"10", "-3.1", "-4.2", "-2"}, []string{r["diff_n"], r["diff_mean"], r["diff_lo"], r["diff_hi"]})
	r = cell(`Unmanaged, "win"`, "critical.p95Days")
	assert.Equal(t, []string{"3", "7", "+Inf", "", "+Inf", "+Inf", ""}, []string{r["n"], r["inf"], r["mean"], r["sd"], r["lo"], r["hi"], r["pooled"]})
	r = cell("SecurityPatch", "high.p95Days")
	assert.Equal(t, []string{"0", "", "", ""}, []string{r["n"], r["mean"], r["lo"], r["hi"]}, "not applicable: empty")
	r = cell("SecurityPatch", "reimagesPerNodeMonth")
	assert.Equal(t, []string{"per node-month", "1.51", "1.5", "1.53"}, []string{r["unit"], r["mean"], r["lo"], r["hi"]})

	head, rows := table(t, wide.Bytes())
	require.Len(t, rows, 3)
	assert.Equal(t, []string{"variant", "nodeOSUpgradeChannel", "windowDay", "maxSurge", "critical.meanDays", "critical.meanDays.lo", "critical.meanDays.hi"}, head[:7],
		"the grid's axes in the order they first appear, then each metric with its interval")
	assert.Len(t, head, 4+3*len(plan.Metrics)+5)
	axes := func(r map[string]string) []string {
		return []string{r["variant"], r["nodeOSUpgradeChannel"], r["windowDay"], r["maxSurge"]}
	}
	assert.Equal(t, []string{"NodeImage", "", "", ""}, axes(rows[0]), "off the grid")
	assert.Equal(t, []string{"SecurityPatch", "SecurityPatch", "Sunday", ""}, axes(rows[1]))
	assert.Equal(t, []string{`Unmanaged, "win"`, "Unmanaged", "", "33%"}, axes(rows[2]))
	assert.Equal(t, []string{"29.4", "28", "31.2"}, []string{rows[0]["critical.p95Days"], rows[0]["critical.p95Days.lo"], rows[0]["critical.p95Days.hi"]},
		"an exposure quantile's value is the pooled one")
	assert.Equal(t, "+Inf", rows[2]["critical.p95Days"])
	assert.Equal(t, "2.13", rows[0]["reimagesPerNodeMonth"])

	_, rows = table(t, pools.Bytes())
	require.Len(t, rows, 3, "NodeImage's two pools, SecurityPatch's one, none for the third")
	assert.Equal(t, []string{"NodeImage", "win", "2", "0.45", "0.75", "2.5", "2.5"},
		[]string{rows[1]["variant"], rows[1]["pool"], rows[1]["count"], rows[1]["pastSLAShare"], rows[1]["pastSLAPart"], rows[1]["failedOperations"], rows[1]["blockedDrains"]})
	assert.Equal(t, "", rows[2]["pastSLAPart"], "never past SLA: no part")
	assert.Equal(t, "2", rows[2]["high.vulnerableNodeDays"])
}

// TestMarkdownShape: a header, an alignment row and one row per variant
// and per difference, each with as many cells as columns; the names'
// pipes escaped so they do not split cells.
func TestMarkdownShape(t *testing.T) {
	c := handMade()
	var b bytes.Buffer
	require.NoError(t, report.Markdown(&b, c, report.Options{CI: true, Diff: true, Columns: []string{"critical.p95Days", "pastSLAShare"}}))
	var rows []string
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(l, "|") {
			rows = append(rows, l)
		}
	}
	require.Len(t, rows, 2+3+2, "header, alignment, 3 variants, 2 differences")
	unescaped := regexp.MustCompile(`(^|[^\\])\|`)
	for _, r := range rows {
		assert.Len(t, unescaped.FindAllString(r, -1), 4, "3 cells: %s", r)
	}
	assert.Equal(t, "|:--|--:|--:|", rows[1])
	assert.Equal(t, "| Variant | Critical p95 exposure (days) | Nodes past SLA (mean daily share) |", rows[0])
	assert.Equal(t, "| **Unmanaged\\|win** | \\>90d | 62.0% [55.8%, 68.2%] |", rows[5])
	assert.True(t, strings.HasPrefix(rows[4], "| &emsp;vs NodeImage | -3.1 [-4.2, -2.0] |"), rows[4])
}

// TestTextColumnsAlign: every line of the table is as wide as the others
// and each number ends under the end of its column's key.
func TestTextColumnsAlign(t *testing.T) {
	c := handMade()
	var b bytes.Buffer
	cols := []string{"critical.p95Days", "pastSLAShare", "reimagesPerNodeMonth"}
	require.NoError(t, report.Text(&b, c, report.Options{Columns: cols}))
	lines := strings.Split(b.String(), "\n")
	start := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "variant ") {
			start = i
		}
	}
	require.GreaterOrEqual(t, start, 0, b.String())
	table := lines[start : start+2+3] // keys, units, 3 variants
	w := utf8.RuneCountInString(table[0])
	for _, l := range table {
		assert.Equal(t, w, utf8.RuneCountInString(l), "%q", l)
	}
	for _, key := range cols {
		end := strings.Index(table[0], key) + len(key)
		for _, l := range table[1:] {
			assert.NotEqual(t, ' ', rune(l[end-1]), "%q ends a cell at %d (%s)", l, end, key)
			if end < len(l) {
				assert.Equal(t, ' ', rune(l[end]), "%q: a cell of %s runs past its key", l, key)
			}
		}
	}
	assert.Contains(t, table[2], "29.4 (10%)", "NodeImage's pooled p95, 1 of 10 replications short")
	assert.Contains(t, table[4], ">90d")
}
