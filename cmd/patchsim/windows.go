package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/patchsim/patchsim/internal/infile"
	"github.com/patchsim/patchsim/plan"
	"github.com/patchsim/patchsim/window"
)

const windowsHelp = `usage: patchsim windows (--config FILE [--name NAME] | --rrule RULE --dtstart LOCAL --duration D |
                        --cron EXPR --duration D | --weekly "DAYS HH:MM-HH:MM") [--tz ZONE]
                        [--blackout START/END ...] --from TIME [--count N] [--json]

Lists the first N maintenance windows whose end is after --from, in order, one per
line as "START END" in RFC 3339 UTC (with --json, an array of {"start", "end"}).
A window open at --from is listed whole.

Schedule (exactly one):
  --config FILE   an AKS maintenance configuration in JSON: what
                  "az aks maintenanceconfiguration show -o json" or "... list" prints,
                  an ARM GET response or list ({"value": [...]}), a PUT body
                  ({"properties": {...}}) or a bare maintenanceWindow object.
                  Without startDate the recurrence starts on --from's date.
  --name NAME     with several configurations in FILE, the one to use
                  (default, aksManagedAutoUpgradeSchedule, aksManagedNodeOSUpgradeSchedule)
  --rrule RULE    an RFC 5545 rule, e.g. "FREQ=WEEKLY;BYDAY=SA" (FREQ YEARLY..HOURLY),
                  with --dtstart (DTSTART as local wall time 2006-01-02T15:04[:05] in --tz)
                  and --duration
  --cron EXPR     5 cron fields "min hour dom month dow" or @daily-style macros, with --duration
  --weekly SPEC   weekdays and a time-of-day span, e.g. "Mon-Fri 22:00-04:00" (an end before
                  the start wraps past midnight; 24:00 is the end of the day; days are
                  Mon..Sun or full names, lists and ranges)

Options:
  --duration D    window length for --rrule and --cron, e.g. 4h, 90m
  --tz ZONE       IANA zone of --rrule, --cron and --weekly wall times (default UTC).
                  Nonexistent local times take the offset from before the DST gap,
                  repeated ones their first occurrence (RFC 5545 section 3.3.5).
  --blackout S/E  a span [S, E) of RFC 3339 instants with no window; repeatable
  --from TIME     RFC 3339 instant to list from (required)
  --count N       number of windows (default 10)
  --json          print JSON

Invalid input exits with status 2 and lists every problem on stderr.
`

// windowsSpec is what the windows command's flags ask for.
type windowsSpec struct {
	schedule window.Schedule // blackouts already removed
	from     time.Time
	count    int
	json     bool
}

func runWindows(args []string, stdout, stderr io.Writer) int {
	spec, err := windowsFlags(args)
	if err != nil {
		return inputError(err, "windows", windowsHelp, stdout, stderr)
	}
	var out []window.Interval
	for iv := range window.Between(spec.schedule, spec.from, window.Latest) {
		if len(out) == spec.count {
			break
		}
		out = append(out, iv)
	}
	if err := printWindows(stdout, out, spec.json); err != nil {
		fmt.Fprintf(stderr, "patchsim windows: %v\n", err)
		return 1
	}
	return 0
}

// windowsFlags reads the windows command's flags into a spec, listing every
// problem at once.
func windowsFlags(args []string) (windowsSpec, error) {
	fs := flag.NewFlagSet("windows", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		config   = fs.String("config", "", "")
		name     = fs.String("name", "", "")
		rrule    = fs.String("rrule", "", "")
		dtstart  = fs.String("dtstart", "", "")
		cron     = fs.String("cron", "", "")
		weekly   = fs.String("weekly", "", "")
		duration = fs.String("duration", "", "")
		tz       = fs.String("tz", "", "")
		from     = fs.String("from", "", "")
		count    = fs.Int("count", 10, "")
		asJSON   = fs.Bool("json", false, "")
		black    repeated
	)
	fs.Var(&black, "blackout", "")
	if err := fs.Parse(args); err != nil {
		return windowsSpec{}, usageError{err}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	var errs []error
	bad := func(flagName, format string, a ...any) {
		errs = append(errs, fmt.Errorf("patchsim windows: --%s: %s", flagName, fmt.Sprintf(format, a...)))
	}
	if fs.NArg() > 0 {
		errs = append(errs, fmt.Errorf("patchsim windows: unexpected arguments %q", fs.Args()))
	}
	var start time.Time
	if *from == "" {
		bad("from", "required (an RFC 3339 instant, e.g. 2025-03-08T21:00:00Z)")
	} else if t, err := time.Parse(time.RFC3339, *from); err != nil {
		bad("from", "%q is not an RFC 3339 instant (e.g. 2025-03-08T21:00:00Z)", *from)
	} else {
		start = t
	}
	if *count < 1 {
		bad("count", "%d is below the minimum 1", *count)
	}
	var kinds []string
	for _, k := range []string{"config", "rrule", "cron", "weekly"} {
		if set[k] {
			kinds = append(kinds, "--"+k)
		}
	}
	if len(kinds) != 1 {
		errs = append(errs, fmt.Errorf("patchsim windows: give exactly one of --config, --rrule, --cron, --weekly (got %d: %s)", len(kinds), strings.Join(kinds, ", ")))
	}
	onlyWith := func(flagName string, kinds ...string) {
		if !set[flagName] {
			return
		}
		for _, k := range kinds {
			if set[k] {
				return
			}
		}
		bad(flagName, "only applies with --%s", strings.Join(kinds, " or --"))
	}
	onlyWith("name", "config")
	onlyWith("dtstart", "rrule")
	onlyWith("duration", "rrule", "cron")
	onlyWith("tz", "rrule", "cron", "weekly")

	loc := time.UTC
	if *tz != "" {
		l, err := time.LoadLocation(*tz)
		if err != nil {
			bad("tz", "%q is not an IANA time zone (e.g. Europe/Paris)", *tz)
		} else {
			loc = l
		}
	}
	var dur time.Duration
	if set["rrule"] || set["cron"] {
		if *duration == "" {
			bad("duration", "required with --rrule and --cron (e.g. 4h, 90m)")
		} else if d, err := time.ParseDuration(*duration); err != nil {
			bad("duration", "%q is not a duration (e.g. 4h, 90m)", *duration)
		} else {
			dur = d
		}
	}
	spans, berrs := parseBlackouts(black)
	errs = append(errs, berrs...)
	var s window.Schedule
	if len(kinds) == 1 {
		sf := scheduleFlags{config: *config, name: *name, rrule: *rrule, dtstart: *dtstart, cron: *cron, weekly: *weekly, dur: dur, loc: loc}
		var serrs []error
		s, serrs = sf.schedule(kinds[0], start)
		errs = append(errs, serrs...)
	}
	if err := errors.Join(errs...); err != nil {
		return windowsSpec{}, err
	}
	return windowsSpec{schedule: window.Except(s, spans...), from: start, count: *count, json: *asJSON}, nil
}

// parseBlackouts reads --blackout values, START/END in RFC 3339.
func parseBlackouts(values []string) ([]window.Interval, []error) {
	var spans []window.Interval
	var errs []error
	for _, b := range values {
		s, e, ok := strings.Cut(b, "/")
		st, err1 := time.Parse(time.RFC3339, s)
		en, err2 := time.Parse(time.RFC3339, e)
		switch {
		case !ok || err1 != nil || err2 != nil:
			errs = append(errs, fmt.Errorf("patchsim windows: --blackout: %q is not START/END in RFC 3339", b))
		case en.Before(st):
			errs = append(errs, fmt.Errorf("patchsim windows: --blackout: %q ends before it starts", b))
		default:
			spans = append(spans, window.Interval{Start: st, End: en})
		}
	}
	return spans, errs
}

// scheduleFlags are the windows command's flags that choose and shape the
// schedule.
type scheduleFlags struct {
	config, name, rrule, dtstart, cron, weekly string
	dur                                        time.Duration  // --duration
	loc                                        *time.Location // --tz
}

// schedule builds the schedule of kind (the one of --config, --rrule, --cron
// and --weekly given); a configuration without startDate starts on anchor's
// date.
func (f scheduleFlags) schedule(kind string, anchor time.Time) (window.Schedule, []error) {
	var errs []error
	var s window.Schedule
	var err error
	switch kind {
	case "--config":
		s, err = configSchedule(f.config, f.name, anchor)
	case "--rrule":
		var ds time.Time
		if f.dtstart != "" {
			if ds, err = parseLocal(f.dtstart); err != nil {
				errs = append(errs, fmt.Errorf("patchsim windows: --dtstart: %q is not a local time 2006-01-02T15:04[:05]", f.dtstart))
				// Check the other fields without a second --dtstart error.
				ds = time.Unix(0, 0)
			}
		}
		s, err = window.RRule{Rule: f.rrule, Start: ds, Duration: f.dur, Location: f.loc}.Schedule()
		err = renameFields(err, map[string]string{"Rule": "--rrule", "Start": "--dtstart", "Duration": "--duration"})
	case "--cron":
		s, err = window.Cron{Expr: f.cron, Duration: f.dur, Location: f.loc}.Schedule()
		err = renameFields(err, map[string]string{"Expr": "--cron", "Duration": "--duration"})
	default:
		var spec window.WeekdayHours
		if spec, err = parseWeekly(f.weekly); err == nil {
			spec.Location = f.loc
			s, err = spec.Schedule()
		}
		err = renameFields(err, map[string]string{"Days": "--weekly", "Start": "--weekly", "End": "--weekly"})
	}
	if err != nil {
		errs = append(errs, err)
	}
	return s, errs
}

// configSchedule reads an AKS maintenance configuration file and picks the
// configuration by name.
func configSchedule(path, name string, anchor time.Time) (window.Schedule, error) {
	data, err := infile.Read(path, plan.MaxFileBytes)
	if err != nil {
		return nil, fmt.Errorf("patchsim windows: --config: %v", err)
	}
	cfgs, err := window.ParseConfigurations(data)
	if err != nil {
		return nil, err
	}
	var names []string
	var match []window.MaintenanceConfiguration
	for _, c := range cfgs {
		names = append(names, fmt.Sprintf("%q", c.Name))
		if name == "" || c.Name == name {
			match = append(match, c)
		}
	}
	switch {
	case len(match) == 0 && name != "":
		return nil, fmt.Errorf("patchsim windows: --name: no configuration %q in %s (it has %s)", name, path, strings.Join(names, ", "))
	case len(match) == 0:
		return nil, fmt.Errorf("patchsim windows: --config: %s has no configuration", path)
	case len(match) > 1 && name == "":
		return nil, fmt.Errorf("patchsim windows: --name: %s has %d configurations (%s); choose one with --name", path, len(match), strings.Join(names, ", "))
	case len(match) > 1:
		return nil, fmt.Errorf("patchsim windows: --name: %s has %d configurations named %q", path, len(match), name)
	}
	return match[0].Schedule(anchor)
}

// renameFields names each problem of a window spec by the flag that set its
// field (names maps a field to its flag); other problems stay as they are.
func renameFields(err error, names map[string]string) error {
	if err == nil {
		return nil
	}
	var out []error
	for _, e := range problemsOf(err) {
		var fe *window.FieldError
		if errors.As(e, &fe) {
			field, _, _ := strings.Cut(fe.Path, "[")
			if flagName, ok := names[field]; ok {
				e = fmt.Errorf("patchsim windows: %s: %w", flagName, fe.Err)
			}
		}
		out = append(out, e)
	}
	return errors.Join(out...)
}

// problemsOf returns the errors joined in err, each alone.
func problemsOf(err error) []error {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var out []error
	for _, e := range j.Unwrap() {
		out = append(out, problemsOf(e)...)
	}
	return out
}

func parseLocal(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a local time")
}

// parseWeekly reads "DAYS HH:MM-HH:MM", DAYS a comma list of day names or
// ranges (Mon-Fri, Fri-Mon wraps).
func parseWeekly(spec string) (window.WeekdayHours, error) {
	var w window.WeekdayHours
	fields := strings.Fields(spec)
	if len(fields) != 2 {
		return w, fmt.Errorf("patchsim windows: --weekly: %q is not \"DAYS HH:MM-HH:MM\" (e.g. \"Mon-Fri 22:00-04:00\")", spec)
	}
	var errs []error
	for _, item := range strings.Split(fields[0], ",") {
		a, b, isRange := strings.Cut(item, "-")
		da, err1 := window.ParseWeekday(a)
		db, err2 := da, error(nil)
		if isRange {
			db, err2 = window.ParseWeekday(b)
		}
		if err1 != nil || err2 != nil {
			errs = append(errs, fmt.Errorf("patchsim windows: --weekly: %q is not a day or a range of days (Mon..Sun)", item))
			continue
		}
		for d := da; ; d = (d + 1) % 7 {
			w.Days = append(w.Days, d)
			if d == db {
				break
			}
		}
	}
	s, e, ok := strings.Cut(fields[1], "-")
	var err1, err2 error
	w.Start, err1 = window.ParseClock(s, false)
	w.End, err2 = window.ParseClock(e, true)
	if !ok || err1 != nil || err2 != nil {
		errs = append(errs, fmt.Errorf("patchsim windows: --weekly: %q is not HH:MM-HH:MM (00:00 to 24:00)", fields[1]))
	}
	return w, errors.Join(errs...)
}

func printWindows(w io.Writer, ivs []window.Interval, asJSON bool) error {
	if asJSON {
		type span struct {
			Start string `json:"start"`
			End   string `json:"end"`
		}
		out := make([]span, 0, len(ivs))
		for _, iv := range ivs {
			out = append(out, span{iv.Start.Format(time.RFC3339), iv.End.Format(time.RFC3339)})
		}
		data, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", data)
		return err
	}
	var b strings.Builder
	for _, iv := range ivs {
		fmt.Fprintf(&b, "%s %s\n", iv.Start.Format(time.RFC3339), iv.End.Format(time.RFC3339))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
