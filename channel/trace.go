package channel

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// TraceEntry is one release of a dated list replayed by a Trace [Cadence].
type TraceEntry struct {
	Version   string
	Built     time.Time
	Published time.Time // zero: drawn from the stream's publication delay
	// Kernel names the Linux kernel the release carries, such as
	// "5.15.0-1061-azure". Empty: the same as the previous entry's, or, for
	// a trace without kernels, whatever the stream's kernel cadence gives.
	Kernel string
}

var (
	// Linux node image versions YYYYMM.DD.N encode the VHD build date
	// (reference/aks.md section 5).
	linuxVersion = regexp.MustCompile(`^(\d{6})\.(\d{2})\.\d+$`)
	// SecurityPatch snapshots are named by their golden timestamp
	// (reference/aks.md section 1.3).
	snapshotVersion = regexp.MustCompile(`^\d{8}T\d{6}Z$`)
)

// Column names ReadTrace accepts, in the spellings of the files in data/.
var (
	versionColumns = []string{"version", "image_version", "golden_timestamp"}
	dateColumns    = []string{"date", "release_date", "published", "notes_added_date", "agentbaker_notes_date"}
	builtColumns   = []string{"built", "build_start_utc"}
	// A SecurityPatch snapshot names only a kernel new against the
	// previous snapshot (data/aks-securitypatch-snapshots.csv).
	kernelColumns = []string{"kernel", "prev_delta_new_azure_kernel"}
)

// ReadTrace reads a dated release list: CSV with a header row naming a
// version column (version, image_version or golden_timestamp) and a date
// column (date, release_date, published, notes_added_date or
// agentbaker_notes_date), and optionally a build column (built or
// build_start_utc) and a kernel column (kernel, or
// prev_delta_new_azure_kernel for the new kernel of a SecurityPatch
// snapshot, empty when it has none); other columns are ignored and
// lines starting with '#' are comments. Dates are YYYY-MM-DD (midnight UTC) or
// RFC 3339. Without a build column, Built comes from the version: a Linux
// image version YYYYMM.DD.N encodes its build date, a SecurityPatch snapshot
// YYYYMMDDTHHMMSSZ its golden timestamp; other versions need the column.
//
// A release cannot be published before it is built: a date (without a time)
// on the day of the build means published at the build; a date before the
// build's day (the dates of the data come from commit dates in local time
// zones) makes Built the published date. The result is ordered by Built, ties in file order. Errors name the
// line and column of every bad field.
func ReadTrace(r io.Reader) ([]TraceEntry, error) {
	cr := csv.NewReader(&boundedReader{r: r})
	cr.Comment = '#'
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("channel: trace header: %w", err)
	}
	find := func(names []string) int {
		for i, h := range header {
			if slices.Contains(names, strings.ToLower(strings.TrimSpace(h))) {
				return i
			}
		}
		return -1
	}
	vcol, dcol, bcol, kcol := find(versionColumns), find(dateColumns), find(builtColumns), find(kernelColumns)
	var errs []error
	if vcol < 0 {
		errs = append(errs, fmt.Errorf("channel: trace header: no version column (want one of %s)", strings.Join(versionColumns, ", ")))
	}
	if dcol < 0 {
		errs = append(errs, fmt.Errorf("channel: trace header: no date column (want one of %s)", strings.Join(dateColumns, ", ")))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	var out []TraceEntry
	for rows := 1; ; rows++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if rows > MaxTraceRows {
			return nil, fmt.Errorf("channel: trace: more than %d rows", MaxTraceRows)
		}
		if err != nil {
			return nil, errors.Join(append(errs, fmt.Errorf("channel: trace: %w", err))...)
		}
		fieldErr := func(col int, msg string, args ...any) {
			line, column := cr.FieldPos(col)
			errs = append(errs, fmt.Errorf("channel: trace line %d column %d: %s", line, column, fmt.Sprintf(msg, args...)))
		}
		e := TraceEntry{Version: strings.TrimSpace(rec[vcol])}
		if kcol >= 0 {
			e.Kernel = strings.TrimSpace(rec[kcol])
		}
		pub, perr := parseDate(rec[dcol])
		if perr != nil {
			fieldErr(dcol, "date %q: want YYYY-MM-DD or RFC 3339", rec[dcol])
		}
		e.Published = pub
		builtOK := true
		switch {
		case bcol >= 0 && strings.TrimSpace(rec[bcol]) != "":
			b, berr := parseDate(rec[bcol])
			if berr != nil {
				builtOK = false
				fieldErr(bcol, "build %q: want YYYY-MM-DD or RFC 3339", rec[bcol])
			}
			e.Built = b
		default:
			b, ok := versionBuilt(e.Version)
			if builtOK = ok; !ok {
				fieldErr(vcol, "version %q: want YYYYMM.DD.N or YYYYMMDDTHHMMSSZ, or a built column", e.Version)
			}
			e.Built = b
		}
		if perr == nil && e.Published.Before(e.Built) {
			if dateOnly(rec[dcol]) && e.Published.Add(day).After(e.Built) {
				// Published on the day it was built: not before.
				e.Published = e.Built
			} else {
				e.Built = e.Published
			}
		}
		if e.Built.IsZero() && perr == nil && builtOK {
			fieldErr(vcol, "version %q: built 0001-01-01, the zero date: want a real release date", e.Version)
		}
		out = append(out, e)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.SortStableFunc(out, func(a, b TraceEntry) int { return a.Built.Compare(b.Built) })
	return out, nil
}

// dateOnly reports whether s is a date without a time of day.
func dateOnly(s string) bool {
	_, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	return err == nil
}

func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	return t.UTC(), err
}

// versionBuilt returns the build instant a version string encodes.
func versionBuilt(v string) (time.Time, bool) {
	if m := linuxVersion.FindStringSubmatch(v); m != nil {
		t, err := time.Parse("20060102", m[1]+m[2])
		return t, err == nil
	}
	if snapshotVersion.MatchString(v) {
		t, err := time.Parse("20060102T150405Z", v)
		return t, err == nil
	}
	return time.Time{}, false
}

// Column names ReadAdvisories accepts in a header row: its own and those of
// the Ubuntu security notice files in data/.
var (
	advIDColumns       = []string{"id", "usn_id", "usn_ids"}
	advPublishedColumn = []string{"published", "published_utc", "episode_date"}
	advSeverityColumns = []string{"severity", "max_ubuntu_priority", "cvss", "cvss_score"}
	// cvssColumns hold CVSS base scores, read as bands.
	cvssColumns     = []string{"cvss", "cvss_score"}
	advClassColumns = []string{"class", "klass"}
	advOSColumns    = []string{"os"}
)

// ReadAdvisories reads an advisory trace, CSV in one of two shapes; lines
// starting with '#' are comments.
//
// Without a header, or with one whose first field is "id" and that does not
// name every column below, the rows are id, published (RFC 3339),
// severity, class and optionally os (default Linux).
//
// With a header naming columns, the columns are found by name, other
// columns ignored: id (id, usn_id or usn_ids), published (published,
// published_utc or episode_date; RFC 3339 or YYYY-MM-DD, midnight UTC),
// severity (severity or max_ubuntu_priority; or cvss or cvss_score, a CVSS
// base score read as its band, for teams whose SLA uses them), class (class
// or klass) and optionally os. This reads the shipped Ubuntu notice sample
// (data/ubuntu-usn-jammy-2024-podcast.csv) as it is: its episode_date is
// the podcast's date, an upper bound on the notice's publication (a week or
// two late at most, data/README.md), and is taken as the publication. Ubuntu
// priorities are severities of the same names, with negligible read as low;
// a row whose priority is none (the notice fixes no prioritised CVE of the
// release) is not an advisory and is left out. CVSS bands follow the CVSS
// v3.1 qualitative scale (FIRST, CVSS v3.1 specification section 5):
// 9.0-10.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low; a score of
// 0.0 (none) is left out too.
//
// The result is sorted by Published, then ID. Errors name the line and
// column of every bad field; IDs must be unique.
func ReadAdvisories(r io.Reader) ([]Advisory, error) {
	cr := csv.NewReader(&boundedReader{r: r})
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	var (
		out  []Advisory
		errs []error
		seen = map[string]int{}
		// Column of each field: id, published, severity, class, os.
		cols    = [5]int{0, 1, 2, 3, 4}
		named   bool
		cvss    bool // the severity column is a CVSS score
		nfields = "id, published, severity, class[, os]"
	)
	for rows, first := 0, true; ; rows, first = rows+1, false {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if rows > MaxTraceRows {
			return nil, fmt.Errorf("channel: advisories: more than %d rows", MaxTraceRows)
		}
		if err != nil {
			return nil, errors.Join(append(errs, fmt.Errorf("channel: advisories: %w", err))...)
		}
		line, _ := cr.FieldPos(0)
		if first {
			if c, ok, herr := advisoryHeader(rec); herr != nil {
				return nil, herr
			} else if ok {
				cols, named = c, true
				cvss = slices.Contains(cvssColumns, strings.ToLower(strings.TrimSpace(rec[c[2]])))
				continue
			}
			if strings.EqualFold(strings.TrimSpace(rec[0]), "id") {
				continue
			}
		}
		fieldErr := func(col int, msg string, args ...any) {
			l, c := cr.FieldPos(col)
			errs = append(errs, fmt.Errorf("channel: advisories line %d column %d: %s", l, c, fmt.Sprintf(msg, args...)))
		}
		field := func(i int) string { return strings.TrimSpace(rec[cols[i]]) }
		if named {
			if len(rec) <= slices.Max(cols[:4]) {
				errs = append(errs, fmt.Errorf("channel: advisories line %d: %d fields: the header names %d", line, len(rec), slices.Max(cols[:4])+1))
				continue
			}
		} else if len(rec) != 4 && len(rec) != 5 {
			errs = append(errs, fmt.Errorf("channel: advisories line %d: %d fields: want %s", line, len(rec), nfields))
			continue
		}
		var band Severity
		if cvss {
			score, err := strconv.ParseFloat(field(2), 64)
			switch {
			case err != nil || !(score >= 0 && score <= 10):
				l, c := cr.FieldPos(cols[2])
				errs = append(errs, fmt.Errorf("channel: advisories line %d column %d: CVSS score %q: want a number from 0.0 to 10.0", l, c, rec[cols[2]]))
			case score == 0:
				continue
			default:
				band = cvssBand(score)
			}
		} else if named && strings.EqualFold(field(2), "none") {
			continue
		}
		var a Advisory
		a.ID = field(0)
		if a.ID == "" {
			fieldErr(cols[0], "empty id")
		} else if prev, dup := seen[a.ID]; dup {
			fieldErr(cols[0], "id %q already on line %d", a.ID, prev)
		} else {
			seen[a.ID] = line
		}
		if named {
			a.Published, err = parseDate(field(1))
		} else {
			a.Published, err = time.Parse(time.RFC3339, field(1))
		}
		if err != nil {
			fieldErr(cols[1], "published %q: want RFC 3339%s", rec[cols[1]], map[bool]string{true: " or YYYY-MM-DD"}[named])
		}
		a.Published = a.Published.UTC()
		sev := field(2)
		if named && strings.EqualFold(sev, "negligible") {
			sev = Low.String()
		}
		if cvss {
			a.Severity = band
		} else if a.Severity, err = ParseSeverity(sev); err != nil {
			fieldErr(cols[2], "%s", strings.TrimPrefix(err.Error(), "channel: "))
		}
		if a.Class, err = ParseClass(field(3)); err != nil {
			fieldErr(cols[3], "%s", strings.TrimPrefix(err.Error(), "channel: "))
		}
		if cols[4] >= 0 && cols[4] < len(rec) {
			if a.OS, err = ParseOS(field(4)); err != nil {
				fieldErr(cols[4], "%s", strings.TrimPrefix(err.Error(), "channel: "))
			}
		}
		out = append(out, a)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sortAdvisories(out)
	return out, nil
}

// cvssBand is the CVSS v3.1 qualitative rating of a positive base score.
func cvssBand(score float64) Severity {
	switch {
	case score >= 9:
		return Critical
	case score >= 7:
		return High
	case score >= 4:
		return Medium
	}
	return Low
}

// advisoryHeader finds the columns of a named header row: ok is false when
// rec is not one (its first field is not a known column name other than
// "id", which keeps the positional shape), and err lists the missing
// columns.
func advisoryHeader(rec []string) (cols [5]int, ok bool, err error) {
	find := func(names []string) int {
		for i, h := range rec {
			if slices.Contains(names, strings.ToLower(strings.TrimSpace(h))) {
				return i
			}
		}
		return -1
	}
	first := strings.ToLower(strings.TrimSpace(rec[0]))
	known := slices.Concat(advIDColumns, advPublishedColumn, advSeverityColumns, advClassColumns, advOSColumns)
	if !slices.Contains(known, first) {
		return cols, false, nil
	}
	var errs []error
	for i, names := range [][]string{advIDColumns, advPublishedColumn, advSeverityColumns, advClassColumns, advOSColumns} {
		cols[i] = find(names)
		if cols[i] < 0 && i < 4 {
			errs = append(errs, fmt.Errorf("channel: advisories header: no %s column (want one of %s)", [...]string{"id", "published", "severity", "class"}[i], strings.Join(names, ", ")))
		}
	}
	if len(errs) > 0 && first == "id" {
		// A header of the positional shape, whatever its other names.
		return cols, false, nil
	}
	return cols, true, errors.Join(errs...)
}

func sortAdvisories(as []Advisory) {
	slices.SortFunc(as, func(a, b Advisory) int {
		if c := a.Published.Compare(b.Published); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// Bounds of the lists ReadTrace and ReadAdvisories read: far above any real
// release or advisory list, they keep memory bounded (an endless input such
// as /dev/zero is refused, not read forever).
const (
	MaxTraceBytes = 16 << 20
	MaxTraceRows  = 100_000
)

// boundedReader reads r and fails once it has read more than
// MaxTraceBytes.
type boundedReader struct {
	r io.Reader
	n int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if b.n += int64(n); b.n > MaxTraceBytes {
		return n, fmt.Errorf("more than %d MiB", MaxTraceBytes>>20)
	}
	return n, err
}
