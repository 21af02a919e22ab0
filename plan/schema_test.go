package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
	win "github.com/patchsim/patchsim/window"
)

// The schema is checked with github.com/santhosh-tekuri/jsonschema/v6: it
// implements draft 2020-12 in full (it passes the official
// JSON-Schema-Test-Suite, format assertions included), is pure Go with no
// dependencies, and is maintained; only this test imports it.

// compileSchema compiles Schema with format assertions on, so that dates
// are checked as Validate checks them.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	require.NoError(t, c.AddResource(SchemaURL, doc))
	sch, err := c.Compile(SchemaURL)
	require.NoError(t, err)
	return sch
}

// schemaErrors validates a YAML or JSON scenario against sch and returns
// the dotted paths (as Validate writes them) of the values it rejects.
func schemaErrors(t *testing.T, sch *jsonschema.Schema, data []byte) []string {
	t.Helper()
	js, err := yaml.YAMLToJSON(data)
	require.NoError(t, err)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	require.NoError(t, err)
	err = sch.Validate(inst)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	require.True(t, errors.As(err, &ve), "%v", err)
	var paths []string
	var leaves func(e *jsonschema.ValidationError)
	leaves = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			paths = append(paths, dotted(e.InstanceLocation))
		}
		for _, c := range e.Causes {
			leaves(c)
		}
	}
	leaves(ve)
	return paths
}

// dotted writes a JSON pointer's tokens as Validate writes paths:
// clusters[0].pools[1].count.
func dotted(tokens []string) string {
	var b strings.Builder
	for _, tok := range tokens {
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

// scenarioFiles returns every scenario the repository ships, by name: the
// embedded default, testdata and README scenarios, and those of the
// examples (a ConfigMap's scenario.yaml, a Go program's scenario constant).
func scenarioFiles(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{"plan/default.yaml (embedded)": DefaultYAML()}
	root := ".."
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel == ".git" || rel == "docs" || rel == filepath.Join("plan", "testdata", "invalid") {
				return filepath.SkipDir
			}
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		switch ext := filepath.Ext(path); {
		case ext == ".yaml" || ext == ".json":
			for i, doc := range strings.Split(string(data), "\n---\n") {
				var m map[string]any
				if yaml.Unmarshal([]byte(doc), &m) != nil {
					continue
				}
				if _, ok := m["clusters"]; ok {
					out[rel] = []byte(doc)
				}
				if cm, ok := m["data"].(map[string]any); ok && m["kind"] == "ConfigMap" {
					if s, ok := cm["scenario.yaml"].(string); ok {
						out[rel+" #"+strconv.Itoa(i)+" scenario.yaml"] = []byte(s)
					}
				}
			}
		case strings.HasPrefix(rel, "examples") && ext == ".go":
			f, err := parser.ParseFile(token.NewFileSet(), path, data, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if vs, ok := n.(*ast.ValueSpec); ok && len(vs.Names) == 1 && vs.Names[0].Name == "scenario" && len(vs.Values) == 1 {
					if lit, ok := vs.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, err := strconv.Unquote(lit.Value)
						require.NoError(t, err)
						out[rel+" scenario"] = []byte(s)
					}
				}
				return true
			})
		case rel == "README.md":
			for i, block := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(data), -1) {
				if strings.Contains(block[1], "clusters:") {
					out[rel+" yaml block "+strconv.Itoa(i)] = []byte(block[1])
				}
			}
		}
		return nil
	})
	require.NoError(t, err)
	return out
}

// TestSchemaAcceptsEveryValidScenario: every scenario the repository
// ships that Validate accepts, the schema accepts too, as written and as
// Scenario.YAML writes it back.
func TestSchemaAcceptsEveryValidScenario(t *testing.T) {
	sch := compileSchema(t)
	files := scenarioFiles(t)
	for _, want := range []string{"plan/default.yaml (embedded)", "cmd/patchsim/testdata/sweep.yaml", "cmd/patchsim/testdata/import/scenario.yaml",
		"examples/mixed-fleet/main.go scenario", "examples/indexed-job/job.yaml #0 scenario.yaml"} {
		require.Contains(t, files, filepath.FromSlash(want), "the walk misses a known scenario")
	}
	for name, data := range files {
		t.Run(name, func(t *testing.T) {
			s, err := Parse(data, "")
			if err == nil {
				err = s.Validate()
			}
			if err != nil {
				// A file of mistakes, some across fields (a start whose
				// lookback reaches before 1900) that a schema does not
				// express; testdata/invalid holds those both reject.
				t.Skipf("Validate rejects it: %v", err)
			}
			assert.Empty(t, schemaErrors(t, sch, data), "Validate accepts it; the schema rejects these paths")
			// As the library writes it (patchsim import does): still valid.
			y, err := s.YAML()
			require.NoError(t, err)
			assert.Empty(t, schemaErrors(t, sch, y), "the schema rejects these paths of the scenario as YAML writes it")
		})
	}
}

// TestInvalidScenariosFailSchemaAndValidate: each file of
// testdata/invalid has one mistake, named on its first line ("# invalid:
// PATH"); Validate and the schema both reject it, both at PATH.
func TestInvalidScenariosFailSchemaAndValidate(t *testing.T) {
	sch := compileSchema(t)
	files, err := filepath.Glob("testdata/invalid/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			first, _, _ := strings.Cut(string(data), "\n")
			path, ok := strings.CutPrefix(first, "# invalid: ")
			require.True(t, ok, "first line must be \"# invalid: PATH\"")

			s, err := Parse(data, "")
			if err == nil {
				err = s.Validate()
			}
			require.Error(t, err, "Validate accepts it")
			assert.Contains(t, err.Error(), path+":", "Validate does not name %s", path)

			bad := schemaErrors(t, sch, data)
			assert.Contains(t, bad, path, "the schema does not reject %s", path)
		})
	}
}

// TestReferenceDocumentsEveryField: every field of every scenario type has
// an entry with a description, and every entry a field; a new field fails
// here until it is documented in fields.go.
func TestReferenceDocumentsEveryField(t *testing.T) {
	walked := map[reflect.Type]bool{}
	var visit func(t reflect.Type)
	visit = func(typ reflect.Type) {
		if walked[typ] {
			return
		}
		walked[typ] = true
		d, ok := docOf(typ)
		if !assert.True(t, ok, "%s has no entry in plan's reference table (fields.go)", typ) {
			return
		}
		assert.NotEmpty(t, d.doc, "%s has no description", typ)
		names := map[string]bool{}
		for i := range typ.NumField() {
			sf := typ.Field(i)
			name := jsonName(sf)
			if name == "" {
				continue
			}
			names[name] = true
			f, ok := d.fields[name]
			if assert.True(t, ok, "%s.%s (%s) is not documented in plan's reference table (fields.go)", typ.Name(), sf.Name, name) {
				assert.NotEmpty(t, f.Doc, "%s.%s has no description", typ.Name(), name)
				if f.Default != "" && sf.Type.Kind() != reflect.Bool {
					assert.Regexp(t, `^(assumption|aks\.md section|planning-peers\.md section|fleet-manager\.md section|data/)`, f.Source,
						"%s.%s: the default %q names no source (aks.md section N, planning-peers.md section N, fleet-manager.md section N, data/FILE) or \"assumption\"", typ.Name(), name, f.Default)
				}
			}
			if ft, _ := elem(sf.Type); ft.Kind() == reflect.Struct && ft != timeType {
				visit(ft)
			}
		}
		for name := range d.fields {
			assert.True(t, names[name], "%s has an entry for %q, which is not one of its fields", typ.Name(), name)
		}
	}
	visit(reflect.TypeFor[Scenario]())
	var extra []string
	for typ := range reference {
		if !walked[typ] {
			extra = append(extra, typ.String())
		}
	}
	sort.Strings(extra)
	assert.Empty(t, extra, "reference entries for types a scenario does not contain")
}

// TestPatternsReadAsTheParsers holds each pattern of the schema to the
// parser that reads the field, over every candidate of its shape: a
// pattern accepts exactly what the parser accepts, or (utcOffset, whose
// -12:00 to +14:00 range a pattern would spell badly) at least that.
func TestPatternsReadAsTheParsers(t *testing.T) {
	var clocks []string
	for h := 0; h <= 25; h++ {
		for _, m := range []int{0, 5, 30, 59, 60, 99} {
			clocks = append(clocks, fmt.Sprintf("%d:%02d", h, m), fmt.Sprintf("%02d:%02d", h, m), fmt.Sprintf("%02d:%d", h, m))
		}
	}
	clocks = append(clocks, "", "7", "07:3", "1200", "12:00 ", " 12:00", "+1:00", "-1:00", "123:00", "ab:cd")
	window := func(start, offset string) error {
		return win.MaintenanceWindow{Schedule: win.Recurrence{Daily: &win.DailySchedule{IntervalDays: 1}}, DurationHours: 4, StartTime: start, UTCOffset: offset}.Validate()
	}
	var offsets []string
	for h := 0; h <= 16; h++ {
		for _, m := range []int{0, 30, 45, 60} {
			offsets = append(offsets, fmt.Sprintf("+%02d:%02d", h, m), fmt.Sprintf("-%02d:%02d", h, m), fmt.Sprintf("%02d:%02d", h, m), fmt.Sprintf("+%d:%02d", h, m))
		}
	}
	quantities := []string{"", "0", "1", "33", "1000", "0%", "1%", "33%", "100%", "101%", "150%", "007%", "0100%", "+5", "-1", "5 %", " 5", "5 ", "x", "%", "1.5", "10%%"}
	durations := []string{"", "0", "0s", "1d", "7d", "1.5d", ".5d", "1d12h", "36h", "90m", "1h30m", "1.5h", "100ms", "2us", "3µs", "1d-1h", "-1d", "-5h", "d", "1", "1x", "1h 30m", " 2h ", "1dd", "1d1d"}

	re := func(p string) *regexp.Regexp { return regexp.MustCompile(p) }
	tests := []struct {
		name    string
		pattern string
		inputs  []string
		parse   func(string) error
		looser  bool
	}{
		{"kured startTime", startClockPattern, clocks, func(s string) error { _, err := win.ParseClock(s, false); return err }, false},
		{"kured endTime", endClockPattern, clocks, func(s string) error { _, err := win.ParseClock(s, true); return err }, false},
		{"maintenanceWindow.startTime", aksClockPattern, clocks, func(s string) error { return window(s, "") }, false},
		{"maintenanceWindow.utcOffset", utcOffsetPattern, offsets, func(s string) error { return window("00:00", s) }, true},
		{"maxSurge", quantityPattern, quantities, func(s string) error {
			q, err := fleet.ParseQuantity(s)
			if err == nil && q.Percent && q.Value > 100 {
				err = fmt.Errorf("over 100%%")
			}
			return err
		}, false},
		{"durations", durationPattern, durations, func(s string) error {
			d, err := ParseDuration(s)
			if err == nil && d < 0 {
				err = fmt.Errorf("negative")
			}
			return err
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := re(tc.pattern)
			for _, in := range tc.inputs {
				ok := tc.parse(in) == nil
				if tc.looser && !ok {
					continue
				}
				assert.Equal(t, ok, p.MatchString(in), "%q: the parser says %v, the pattern %v", in, ok, !ok)
			}
		})
	}
}

// TestReferenceDefaultsAreValues: a default written as a value (not in
// words, like "horizon/6") is one the field itself accepts.
func TestReferenceDefaultsAreValues(t *testing.T) {
	n := 0
	for _, o := range Reference() {
		for _, f := range o.Fields {
			if f.Default == "" || strings.ContainsAny(f.Default, "/ ") || strings.HasPrefix(f.Type, "list") {
				continue
			}
			n++
			switch f.Type {
			case "duration":
				_, err := ParseDuration(f.Default)
				assert.NoError(t, err, "%s: default %q", f.Path, f.Default)
			case "integer":
				v, err := strconv.Atoi(f.Default)
				if assert.NoError(t, err, "%s", f.Path) {
					assert.NoError(t, f.checkInt(f.Path, v), "%s: default %q", f.Path, f.Default)
				}
			case "string":
				if len(f.Enum) > 0 {
					_, ok := f.lookup(f.Default)
					assert.True(t, ok, "%s: default %q is not one of its names", f.Path, f.Default)
				}
				if f.Pattern != "" {
					assert.Regexp(t, f.Pattern, f.Default, f.Path)
				}
			}
		}
	}
	assert.Greater(t, n, 20, "defaults checked")
}

// TestSchemaNeverStricterThanValidate changes one value of each shipped
// valid scenario at a time (every leaf, to each of a set of values of
// every shape, or removed) and checks that whatever the schema rejects,
// Validate rejects too: the schema's ranges, names and patterns are
// Validate's rules, never stricter ones.
func TestSchemaNeverStricterThanValidate(t *testing.T) {
	if testing.Short() {
		t.Skip("validates a few thousand scenarios")
	}
	sch := compileSchema(t)
	values := []any{nil, -1, 0, 1, 3, 4, 23, 24, 25, 31, 32, 101, 1000, 1001, 1.5, true, "", "x", "0", "1", "33%", "150%",
		"7d", "0s", "-1d", "30m", "Sunday", "sun", "Funday", "NodeImage", "nodeimage", "none", "Cordon", "25:00", "24:00", "7:30",
		"+01:00", "+1:00", "2025-01-06", "2025-01-06T00:00:00Z", "critical.p95Days", "First", "Fifth", "Windows"}
	rejected, both := 0, 0
	for name, data := range scenarioFiles(t) {
		if s, err := Parse(data, ""); err != nil || s.Validate() != nil {
			continue
		}
		js, err := yaml.YAMLToJSON(data)
		require.NoError(t, err)
		var doc any
		require.NoError(t, json.Unmarshal(js, &doc))
		for _, leaf := range leaves(doc, nil) {
			if len(leaf) > 4 && leaf[0] == "clusters" && leaf[2] == "pools" && leaf[4] == "initialNodes" && leaf[5] != "0" {
				continue // one node of a list stands for all
			}
			if i, err := strconv.Atoi(leaf[min(1, len(leaf)-1)]); err == nil && leaf[0] == "clusters" && i >= 2 {
				continue // two clusters of a fleet stand for the rest
			}
			for _, v := range values {
				mutated := set(doc, leaf, v)
				b, err := json.Marshal(mutated)
				require.NoError(t, err)
				inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
				require.NoError(t, err)
				if sch.Validate(inst) == nil {
					continue
				}
				rejected++
				s, err := Parse(b, "")
				if err == nil {
					err = s.Validate()
				}
				if assert.Error(t, err, "%s: %s = %#v: the schema rejects it, Validate accepts it", name, strings.Join(leaf, "."), v) {
					both++
				}
			}
		}
	}
	assert.Greater(t, rejected, 1000, "mutations the schema rejects")
	t.Logf("%d mutations rejected by the schema, %d of them by Validate too", rejected, both)
}

// leaves returns the paths of every scalar of a JSON document.
func leaves(doc any, path []string) [][]string {
	var out [][]string
	switch d := doc.(type) {
	case map[string]any:
		keys := make([]string, 0, len(d))
		for k := range d {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = append(out, leaves(d[k], append(append([]string(nil), path...), k))...)
		}
	case []any:
		for i, v := range d {
			out = append(out, leaves(v, append(append([]string(nil), path...), strconv.Itoa(i)))...)
		}
	default:
		out = append(out, path)
	}
	return out
}

// set returns a copy of doc with the value at path replaced by v, or
// removed when v is nil.
func set(doc any, path []string, v any) any {
	if len(path) == 0 {
		return v
	}
	switch d := doc.(type) {
	case map[string]any:
		c := make(map[string]any, len(d))
		for k, x := range d {
			c[k] = x
		}
		if len(path) == 1 && v == nil {
			delete(c, path[0])
		} else {
			c[path[0]] = set(d[path[0]], path[1:], v)
		}
		return c
	case []any:
		i, _ := strconv.Atoi(path[0])
		c := append([]any(nil), d...)
		if len(path) == 1 && v == nil {
			return append(c[:i], c[i+1:]...)
		}
		c[i] = set(d[i], path[1:], v)
		return c
	}
	return doc
}

// TestReferenceSourcesResolve: every source the reference cites exists: a
// section of docs/reference/aks.md or planning-peers.md, or a file of
// docs/reference/data.
func TestReferenceSourcesResolve(t *testing.T) {
	sections := map[string]map[string]bool{}
	for _, doc := range []string{"aks.md", "planning-peers.md", "fleet-manager.md"} {
		text, err := os.ReadFile(filepath.Join("..", "docs", "reference", doc))
		require.NoError(t, err)
		sections[doc] = map[string]bool{}
		for _, m := range regexp.MustCompile(`(?m)^#+ (\d+(?:\.\d+)?)\.? `).FindAllStringSubmatch(string(text), -1) {
			sections[doc][m[1]] = true
		}
	}
	cite := regexp.MustCompile(`(aks\.md|planning-peers\.md|fleet-manager\.md) sections? ([\d.]+)|(data/[\w.-]+)`)
	n := 0
	for _, o := range Reference() {
		for _, f := range o.Fields {
			for _, m := range cite.FindAllStringSubmatch(f.Source+" "+f.Doc, -1) {
				n++
				if m[3] != "" {
					_, err := os.Stat(filepath.Join("..", "docs", "reference", m[3]))
					assert.NoError(t, err, "%s cites %s", f.Path, m[3])
					continue
				}
				assert.True(t, sections[m[1]][strings.TrimSuffix(m[2], ".")], "%s cites %s section %s, which it does not have", f.Path, m[1], m[2])
			}
		}
	}
	assert.Greater(t, n, 40, "citations checked")
}

// TestEnumsReadAsTheParsers holds each name list of the reference to the
// parser that reads the field: every name and alias in any case the field
// allows, and names it does not, are accepted or refused alike.
func TestEnumsReadAsTheParsers(t *testing.T) {
	aksDay := func(s string) error {
		return win.MaintenanceWindow{Schedule: win.Recurrence{Weekly: &win.WeeklySchedule{IntervalWeeks: 1, DayOfWeek: s}}, DurationHours: 4, StartTime: "00:00"}.Validate()
	}
	weekIndex := func(s string) error {
		return win.MaintenanceWindow{Schedule: win.Recurrence{RelativeMonthly: &win.RelativeMonthlySchedule{IntervalMonths: 1, DayOfWeek: "Monday", WeekIndex: s}}, DurationHours: 4, StartTime: "00:00"}.Validate()
	}
	tests := []struct {
		field Field
		parse func(string) error
	}{
		{field[Cluster]("nodeOSUpgradeChannel"), func(s string) error { _, err := channel.ParseNodeOSChannel(s); return err }},
		{field[Cluster]("upgradeChannel"), func(s string) error { _, err := channel.ParseClusterChannel(s); return err }},
		{field[Pool]("osType"), func(s string) error { _, err := channel.ParseOS(s); return err }},
		{field[UpgradeSettings]("undrainableNodeBehavior"), func(s string) error { _, err := fleet.ParseUndrainable(s); return err }},
		{field[Kured]("rebootDays"), func(s string) error { _, err := win.ParseWeekday(s); return err }},
		{field[Grid]("windowDay"), func(s string) error { _, err := win.ParseWeekday(s); return err }},
		{field[win.WeeklySchedule]("dayOfWeek"), aksDay},
		{field[win.RelativeMonthlySchedule]("weekIndex"), weekIndex},
	}
	for _, tc := range tests {
		t.Run(tc.field.Name, func(t *testing.T) {
			candidates := []string{"x", "Someday", "Fifth", "Solaris", "fast", "Drain"}
			for _, n := range append(append([]string(nil), tc.field.Enum...), tc.field.Aliases...) {
				candidates = append(candidates, n, strings.ToLower(n), strings.ToUpper(n), n+"x", n[:len(n)-1])
			}
			for _, c := range candidates {
				_, ok := tc.field.lookup(c)
				assert.Equal(t, tc.parse(c) == nil, ok, "%q: the parser and the reference disagree", c)
			}
		})
	}
}
