package channel_test

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func readTraceFile(t *testing.T, name string) []channel.TraceEntry {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	require.NoError(t, err)
	defer f.Close()
	tr, err := channel.ReadTrace(f)
	require.NoError(t, err)
	return tr
}

func TestReadTrace(t *testing.T) {
	t.Parallel()
	in := "# comment\nimage_version,release_date,extra\n202405.03.0,2024-05-06,x\n20250602T000000Z,2025-06-02T10:00:00Z,y\n202507.02.0,2025-07-01,z\n"
	got, err := channel.ReadTrace(strings.NewReader(in))
	require.NoError(t, err)
	want := []channel.TraceEntry{
		{Version: "202405.03.0", Built: date(2024, 5, 3), Published: date(2024, 5, 6)},
		{Version: "20250602T000000Z", Built: date(2025, 6, 2), Published: date(2025, 6, 2).Add(10 * time.Hour)},
		// Published the day before its version date: built when published.
		{Version: "202507.02.0", Built: date(2025, 7, 1), Published: date(2025, 7, 1)},
	}
	assert.Equal(t, want, got)
}

func TestReadTraceErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     []string
	}{
		{"no columns", "a,b\n1,2\n", []string{"no version column", "no date column"}},
		{"bad fields, every one reported", "version,date\n202405.03.0,2024-13-01\nfoo,2024-01-01\n",
			[]string{"line 2 column 13: date \"2024-13-01\"", "line 3 column 1: version \"foo\""}},
		{"bad built column", "version,date,built\nv1,2024-01-01,yesterday\n", []string{"line 2 column 15: build \"yesterday\""}},
		{"csv syntax", "version,date\n\"unterminated,2024-01-01\n", []string{"channel: trace:"}},
		{"empty", "", []string{"trace header"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := channel.ReadTrace(strings.NewReader(tc.in))
			require.Error(t, err)
			for _, w := range tc.want {
				assert.ErrorContains(t, err, w)
			}
		})
	}
}

func TestReadAdvisories(t *testing.T) {
	t.Parallel()
	in := "id,published,severity,class,os\n" +
		"USN-6859-1,2024-07-01T09:06:31.434165Z,high,userspace\n" +
		"# kernel family\n" +
		"USN-6742-2,2024-04-23T17:37:06Z,High,Kernel,linux\n" +
		"KB1,2024-04-09T18:00:00+02:00,critical,kernel,Windows\n"
	got, err := channel.ReadAdvisories(strings.NewReader(in))
	require.NoError(t, err)
	want := []channel.Advisory{
		{ID: "KB1", Published: time.Date(2024, 4, 9, 16, 0, 0, 0, time.UTC), Severity: channel.Critical, Class: channel.Kernel, OS: channel.OSWindows},
		{ID: "USN-6742-2", Published: time.Date(2024, 4, 23, 17, 37, 6, 0, time.UTC), Severity: channel.High, Class: channel.Kernel},
		{ID: "USN-6859-1", Published: time.Date(2024, 7, 1, 9, 6, 31, 434165000, time.UTC), Severity: channel.High},
	}
	assert.Equal(t, want, got)
}

func TestReadAdvisoriesErrors(t *testing.T) {
	t.Parallel()
	in := "a,2024-01-01,high,userspace\n" +
		"a,yesterday,severe,firmware,mac\n" +
		",2024-01-01T00:00:00Z,low,kernel\n" +
		"b,2024-01-01T00:00:00Z\n"
	_, err := channel.ReadAdvisories(strings.NewReader(in))
	require.Error(t, err)
	for _, w := range []string{
		`line 1 column 3: published "2024-01-01": want RFC 3339`,
		`line 2 column 1: id "a" already on line 1`,
		`line 2 column 3: published "yesterday"`,
		`line 2 column 13: severity "severe": want one of critical, high, medium, low`,
		`line 2 column 20: class "firmware"`,
		`line 2 column 29: OS "mac"`,
		`line 3 column 1: empty id`,
		`line 4: 2 fields`,
	} {
		assert.ErrorContains(t, err, w)
	}
}

func FuzzReadTrace(f *testing.F) {
	f.Add("version,date\n202405.03.0,2024-05-06\n")
	f.Add("golden_timestamp,notes_added_date\n20250105T000000Z,2025-01-28\n")
	f.Add("version,date,built\nx,2024-01-01T00:00:00Z,2023-12-31\n")
	f.Add("version,date\n\"a\nb\",2024-01-01\n")
	f.Fuzz(func(t *testing.T, in string) {
		tr, err := channel.ReadTrace(strings.NewReader(in))
		if err != nil {
			assert.True(t, strings.HasPrefix(err.Error(), "channel: "), err.Error())
			return
		}
		for i, e := range tr {
			assert.False(t, e.Published.Before(e.Built), "entry %d published before built", i)
			if i > 0 {
				assert.False(t, e.Built.Before(tr[i-1].Built), "entry %d out of order", i)
			}
		}
		// A read trace always replays.
		c := channel.Cadence{Kind: channel.Trace, Trace: tr}
		assert.NoError(t, c.Validate())
	})
}

func FuzzReadAdvisories(f *testing.F) {
	f.Add("id,published,severity,class\nUSN-1,2024-04-23T17:37:06Z,high,kernel\n")
	f.Add("a,2024-01-01T00:00:00Z,LOW,userspace,windows\nb,2024-01-01T00:00:00Z,low,userspace\n")
	f.Add("a,x,y,z\n")
	f.Add("episode_date,usn_ids,klass,max_ubuntu_priority\n2024-02-02,USN-6599-1,userspace,negligible\n2024-02-02,USN-2,kernel,none\n")
	f.Add("id,published,cvss,class\nA,2024-05-01,9.8,kernel\nB,2024-05-01,0.0,userspace\n")
	f.Fuzz(func(t *testing.T, in string) {
		as, err := channel.ReadAdvisories(strings.NewReader(in))
		if err != nil {
			assert.True(t, strings.HasPrefix(err.Error(), "channel: "), err.Error())
			return
		}
		for i := 1; i < len(as); i++ {
			assert.False(t, as[i].Published.Before(as[i-1].Published), "not sorted")
		}
	})
}

// The shipped Ubuntu notice sample reads as an advisory trace as it is.
func TestReadAdvisoriesUSNSample(t *testing.T) {
	t.Parallel()
	in := "episode_date,usn_ids,title,klass,kernel_flavour,jammy_cves,max_ubuntu_priority,priorities,source\n" +
		"2024-02-02,USN-6599-1,Jinja2 vulnerabilities,userspace,,2,medium,medium low,x\n" +
		"2024-03-09,USN-6653-2 USN-6653-3,Linux kernel (Azure) vulnerabilities,kernel,Azure,40,high,high medium,x\n" +
		"2024-04-01,USN-1-1,needrestart regression,userspace,,0,none,,x\n" +
		"2024-04-02,USN-2-1,less vulnerability,userspace,,1,negligible,negligible,x\n"
	got, err := channel.ReadAdvisories(strings.NewReader(in))
	require.NoError(t, err)
	assert.Equal(t, []channel.Advisory{
		{ID: "USN-6599-1", Published: date(2024, 2, 2), Severity: channel.Medium, Class: channel.Userspace},
		{ID: "USN-6653-2 USN-6653-3", Published: date(2024, 3, 9), Severity: channel.High, Class: channel.Kernel},
		// priority none: not an advisory; negligible reads as low
		{ID: "USN-2-1", Published: date(2024, 4, 2), Severity: channel.Low, Class: channel.Userspace},
	}, got)

	f, err := os.Open("../docs/reference/data/ubuntu-usn-jammy-2024-podcast.csv")
	require.NoError(t, err)
	defer f.Close()
	all, err := channel.ReadAdvisories(f)
	require.NoError(t, err)
	bySev := map[string]int{}
	for _, a := range all {
		bySev[a.Class.String()+" "+a.Severity.String()]++
	}
	// 221 notices, 7 of them with priority none (data/README.md).
	assert.Equal(t, map[string]int{"kernel high": 30, "kernel medium": 15, "userspace high": 4, "userspace medium": 155, "userspace low": 10}, bySev)

	_, err = channel.ReadAdvisories(strings.NewReader("usn_id,published_utc,is_kernel\nUSN-6742-2,2024-04-23T17:37:06Z,yes\n"))
	assert.EqualError(t, err, "channel: advisories header: no severity column (want one of severity, max_ubuntu_priority, cvss, cvss_score)\n"+
		"channel: advisories header: no class column (want one of class, klass)")
}

// Endless or huge inputs end in an error, not in unbounded memory.
func TestTraceBounds(t *testing.T) {
	endless := io.LimitReader(zeros{}, 1<<40)
	_, err := channel.ReadTrace(endless)
	assert.ErrorContains(t, err, "more than 16 MiB")
	_, err = channel.ReadAdvisories(io.LimitReader(zeros{}, 1<<40))
	assert.ErrorContains(t, err, "more than 16 MiB")

	var b strings.Builder
	b.WriteString("version,date\n")
	for i := range channel.MaxTraceRows + 1 {
		fmt.Fprintf(&b, "v%d,2025-01-01\n", i)
	}
	_, err = channel.ReadTrace(strings.NewReader(b.String()))
	assert.EqualError(t, err, "channel: trace: more than 100000 rows")
	b.Reset()
	for i := range channel.MaxTraceRows + 2 {
		fmt.Fprintf(&b, "A%d,2025-01-01T00:00:00Z,high,userspace\n", i)
	}
	_, err = channel.ReadAdvisories(strings.NewReader(b.String()))
	assert.EqualError(t, err, "channel: advisories: more than 100000 rows")
}

// zeros reads as an endless run of NUL bytes, like /dev/zero.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// A CVSS base-score column reads as the v3.1 bands: 9.0 critical, 8.9 and
// 7.0 high, 6.9 and 4.0 medium, 3.9 and 0.1 low, 0.0 left out.
func TestReadAdvisoriesCVSS(t *testing.T) {
	t.Parallel()
	in := "id,published,cvss,class\n"
	scores := []string{"9.0", "8.9", "7.0", "6.9", "4.0", "3.9", "0.1", "0.0"}
	for i, sc := range scores {
		in += fmt.Sprintf("A%d,2024-05-0%d,%s,userspace\n", i, i+1, sc)
	}
	got, err := channel.ReadAdvisories(strings.NewReader(in))
	require.NoError(t, err)
	var sev []channel.Severity
	for _, a := range got {
		sev = append(sev, a.Severity)
	}
	assert.Equal(t, []channel.Severity{channel.Critical, channel.High, channel.High, channel.Medium, channel.Medium, channel.Low, channel.Low}, sev)

	_, err = channel.ReadAdvisories(strings.NewReader("id,published,cvss_score,class\nA,2024-05-01,11,kernel\nB,2024-05-01,high,kernel\n"))
	assert.ErrorContains(t, err, `line 2 column 14: CVSS score "11": want a number from 0.0 to 10.0`)
	assert.ErrorContains(t, err, `line 3 column 14: CVSS score "high"`)
}
