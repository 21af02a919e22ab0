package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/report"
)

func TestWritePage(t *testing.T) {
	c := shortDefault(t)
	dir := t.TempDir()
	paths, err := report.WritePage(dir, c, report.Page{Options: report.Options{CI: true, Diff: true}, Version: "v1.2.3"})
	require.NoError(t, err)
	require.Len(t, paths, 2+8, "the page, the Markdown and eight figures")
	assert.Equal(t, filepath.Join(dir, "report.html"), paths[0])
	page, err := os.ReadFile(paths[0])
	require.NoError(t, err)
	html := string(page)
	assert.Contains(t, html, "Scenario aks-default (SHA-256 "+c.Hash[:12]+"), seed 1, patchsim v1.2.3.")
	assert.Contains(t, html, "SLA from publication: critical 7d")
	assert.Contains(t, html, "Pareto frontier of "+c.Objective.Exposure)
	assert.Contains(t, html, "Where high exposure comes from (mean days, restricted to the horizon", "the stage line among the notes")
	assert.Contains(t, html, `alt="Where the mean exposure to high advisories comes from`, "the stage figure inline")
	assert.Equal(t, 8, strings.Count(html, `<img src="data:image/png;base64,`), "every figure inline")
	assert.NotRegexp(t, regexp.MustCompile(`(src|href)="(https?:)?//`), html, "nothing fetched from elsewhere")
	for _, v := range c.Variants {
		assert.Contains(t, html, `<td class="variant">`+v.Name+`</td>`)
	}
	md, err := os.ReadFile(paths[1])
	require.NoError(t, err)
	assert.Regexp(t, `!\[Pareto frontier: \w+ p95 exposure against reimages per node-month\]\(figures/pareto.png\)`, string(md))
	for _, p := range paths[2:] {
		assert.FileExists(t, p)
		assert.Contains(t, string(md), "(figures/"+filepath.Base(p)+")")
	}
	// The same comparison writes the same bytes.
	again := t.TempDir()
	_, err = report.WritePage(again, c, report.Page{Options: report.Options{CI: true, Diff: true}, Version: "v1.2.3"})
	require.NoError(t, err)
	second, err := os.ReadFile(filepath.Join(again, "report.html"))
	require.NoError(t, err)
	assert.True(t, bytes.Equal(page, second))

	_, err = report.WritePage(t.TempDir(), handMade(), report.Page{})
	assert.ErrorContains(t, err, "Options.Distributions")
}

// chromium returns Debian's chromium, or skips the test when it is absent
// outside CI; in CI (CI set, as .ci/run runs) its absence fails the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed; CI needs it to check the HTML report (.ci/run installs Debian's chromium)")
	}
	t.Skip("chromium is not installed and CI is unset: the HTML report is not checked in a browser (apt-get install chromium)")
	return ""
}

// headless runs chromium headless on url with the extra arguments and a
// fresh profile, and returns its standard output.
func headless(t *testing.T, bin, url string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	all := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--no-first-run", "--user-data-dir=" + t.TempDir()}, args...)
	cmd := exec.CommandContext(ctx, bin, append(all, url)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "chromium: %s", stderr.String())
	return stdout.Bytes()
}

// probe is run by the page's copy under test: it records every error
// (scripts, and resources such as images that fail to load, caught in the
// capture phase) and, once the page has loaded, how many images it has and
// how many rendered, in a <pre id="probe"> that --dump-dom prints.
const probe = `<script>
var probeErrors = [];
window.addEventListener('error', function (e) {
  probeErrors.push(e.message || ('cannot load ' + (e.target && e.target.tagName)));
}, true);
var consoleError = console.error;
console.error = function () { probeErrors.push(Array.prototype.join.call(arguments, ' ')); consoleError.apply(console, arguments); };
window.addEventListener('load', function () {
  var ok = 0;
  for (var i = 0; i < document.images.length; i++) {
    var img = document.images[i];
    if (img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().width > 0) ok++;
  }
  var pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify({images: document.images.length, rendered: ok, errors: probeErrors});
  document.body.appendChild(pre);
});
</script>`

func TestPageInChromium(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()
	paths, err := report.WritePage(dir, shortDefault(t), report.Page{Options: report.Options{CI: true, Diff: true}})
	require.NoError(t, err)
	page, err := os.ReadFile(paths[0])
	require.NoError(t, err)

	// Loads without errors and renders every figure.
	probed := filepath.Join(dir, "probed.html")
	require.NoError(t, os.WriteFile(probed, bytes.Replace(page, []byte("<head>"), []byte("<head>\n"+probe), 1), 0o644))
	dom := headless(t, bin, "file://"+probed, "--virtual-time-budget=10000", "--dump-dom")
	m := regexp.MustCompile(`<pre id="probe">(.*?)</pre>`).FindSubmatch(dom)
	require.NotNil(t, m, "the probe ran: %.300s", dom)
	var got struct {
		Images, Rendered int
		Errors           []string
	}
	require.NoError(t, json.Unmarshal([]byte(strings.ReplaceAll(string(m[1]), "&quot;", `"`)), &got))
	t.Logf("probe: %+v", got)
	assert.Equal(t, 8, got.Images)
	assert.Equal(t, got.Images, got.Rendered, "every figure rendered")
	assert.Empty(t, got.Errors)

	// A screenshot of the page itself is not blank: many colours, and
	// more than a sliver of it not white.
	shot := filepath.Join(dir, "shot.png")
	headless(t, bin, "file://"+paths[0], "--window-size=1280,2400", "--hide-scrollbars", "--screenshot="+shot)
	f, err := os.Open(shot)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	colours, inked, total := map[[3]uint32]bool{}, 0, 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
			if r>>8 < 240 || g>>8 < 240 || bl>>8 < 240 {
				inked++
			}
			total++
		}
	}
	t.Logf("screenshot: %d colours, %.1f%% inked", len(colours), 100*float64(inked)/float64(total))
	assert.Greater(t, len(colours), 50, "a blank or single-colour screenshot")
	assert.Greater(t, float64(inked)/float64(total), 0.02, "the screenshot is almost all white")
}
