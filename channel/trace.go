package channel

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
)

// TraceEntry is one release of a dated list replayed by a Trace [Cadence].
type TraceEntry struct {
	Version   string
	Built     time.Time
	Published time.Time // zero: drawn from the stream's publication delay
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
	dateColumns    = []string{"date", "release_date", "published", "notes_added_date"}
	builtColumns   = []string{"built", "build_start_utc"}
)

// ReadTrace reads a dated release list: CSV with a header row naming a
// version column (version, image_version or golden_timestamp) and a date
// column (date, release_date, published or notes_added_date), and optionally
// a build column (built or build_start_utc); other columns are ignored and
// lines starting with '#' are comments. Dates are YYYY-MM-DD (midnight UTC) or
// RFC 3339. Without a build column, Built comes from the version: a Linux
// image version YYYYMM.DD.N encodes its build date, a SecurityPatch snapshot
// YYYYMMDDTHHMMSSZ its golden timestamp; other versions need the column.
//
// A release cannot be published before it is built: when a row's date
// precedes the build date its version encodes (the dates of the data come
// from commit dates in local time zones), Built is taken as the published
// date. The result is ordered by Built, ties in file order. Errors name the
// line and column of every bad field.
func ReadTrace(r io.Reader) ([]TraceEntry, error) {
	cr := csv.NewReader(r)
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
	vcol, dcol, bcol := find(versionColumns), find(dateColumns), find(builtColumns)
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
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, errors.Join(append(errs, fmt.Errorf("channel: trace: %w", err))...)
		}
		fieldErr := func(col int, msg string, args ...any) {
			line, column := cr.FieldPos(col)
			errs = append(errs, fmt.Errorf("channel: trace line %d column %d: %s", line, column, fmt.Sprintf(msg, args...)))
		}
		e := TraceEntry{Version: strings.TrimSpace(rec[vcol])}
		pub, perr := parseDate(rec[dcol])
		if perr != nil {
			fieldErr(dcol, "date %q: want YYYY-MM-DD or RFC 3339", rec[dcol])
		}
		e.Published = pub
		switch {
		case bcol >= 0 && strings.TrimSpace(rec[bcol]) != "":
			b, berr := parseDate(rec[bcol])
			if berr != nil {
				fieldErr(bcol, "build %q: want YYYY-MM-DD or RFC 3339", rec[bcol])
			}
			e.Built = b
		default:
			b, ok := versionBuilt(e.Version)
			if !ok {
				fieldErr(vcol, "version %q: want YYYYMM.DD.N or YYYYMMDDTHHMMSSZ, or a built column", e.Version)
			}
			e.Built = b
		}
		if perr == nil && e.Published.Before(e.Built) {
			e.Built = e.Published
		}
		out = append(out, e)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.SortStableFunc(out, func(a, b TraceEntry) int { return a.Built.Compare(b.Built) })
	return out, nil
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

// ReadAdvisories reads an advisory trace: CSV rows id, published (RFC 3339),
// severity, class and optionally os (default Linux), with an optional header
// row whose first field is "id"; lines starting with '#' are comments. The
// result is sorted by Published, then ID. Errors name the line and column of
// every bad field; IDs must be unique.
func ReadAdvisories(r io.Reader) ([]Advisory, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	var (
		out  []Advisory
		errs []error
		seen = map[string]int{}
	)
	for first := true; ; first = false {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, errors.Join(append(errs, fmt.Errorf("channel: advisories: %w", err))...)
		}
		line, _ := cr.FieldPos(0)
		if first && strings.EqualFold(strings.TrimSpace(rec[0]), "id") {
			continue
		}
		fieldErr := func(col int, msg string, args ...any) {
			l, c := cr.FieldPos(col)
			errs = append(errs, fmt.Errorf("channel: advisories line %d column %d: %s", l, c, fmt.Sprintf(msg, args...)))
		}
		if len(rec) != 4 && len(rec) != 5 {
			errs = append(errs, fmt.Errorf("channel: advisories line %d: %d fields: want id, published, severity, class[, os]", line, len(rec)))
			continue
		}
		var a Advisory
		a.ID = strings.TrimSpace(rec[0])
		if a.ID == "" {
			fieldErr(0, "empty id")
		} else if prev, dup := seen[a.ID]; dup {
			fieldErr(0, "id %q already on line %d", a.ID, prev)
		} else {
			seen[a.ID] = line
		}
		if a.Published, err = time.Parse(time.RFC3339, strings.TrimSpace(rec[1])); err != nil {
			fieldErr(1, "published %q: want RFC 3339", rec[1])
		}
		a.Published = a.Published.UTC()
		if a.Severity, err = ParseSeverity(strings.TrimSpace(rec[2])); err != nil {
			fieldErr(2, "%s", strings.TrimPrefix(err.Error(), "channel: "))
		}
		if a.Class, err = ParseClass(strings.TrimSpace(rec[3])); err != nil {
			fieldErr(3, "%s", strings.TrimPrefix(err.Error(), "channel: "))
		}
		if len(rec) == 5 {
			if a.OS, err = ParseOS(strings.TrimSpace(rec[4])); err != nil {
				fieldErr(4, "%s", strings.TrimPrefix(err.Error(), "channel: "))
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

func sortAdvisories(as []Advisory) {
	slices.SortFunc(as, func(a, b Advisory) int {
		if c := a.Published.Compare(b.Published); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}
