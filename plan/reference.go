package plan

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Field documents one field of a scenario file: what it means, its unit,
// default and allowed values, the AKS property it mirrors and where its
// default comes from. [Reference] lists every field, docs/scenario.md
// prints them and [Schema] turns them into a JSON Schema. Validate reads
// the same limits (Min, Max, Enum), so the reference, the schema and the
// checks cannot disagree.
type Field struct {
	Name string // the name in the file, e.g. "count"
	Path string // the path of its first occurrence, e.g. "clusters[].pools[].count"
	// Type is "string", "integer", "number", "boolean", "duration" (e.g.
	// "7d", "36h", "1d12h"), "date-time" (RFC 3339), an object type's name
	// (see [Object]) or "list of" one of these.
	Type string

	Doc    string // what the field means
	Unit   string // e.g. "nodes", "minutes", "advisories per year"
	Source string // where the default or the rule comes from: "aks.md section N", "data/FILE", "assumption"
	AKS    string // the AKS property the field mirrors, if any

	// Default is the value an absent or zero field takes, as written in a
	// file; empty when there is none (or the field is required).
	Default  string
	Required bool
	// Min and Max bound a number (both inclusive); nil means unbounded. A
	// field with ZeroDefault also takes 0, meaning Default.
	Min, Max    *float64
	ZeroDefault bool
	// Positive marks a duration that must be above zero, and AtLeast, when
	// set, is its smallest value.
	Positive bool
	AtLeast  Duration
	// Enum lists the allowed values of a string (or of each item of a
	// list of strings); FoldCase accepts them in any case and Aliases are
	// further accepted spellings (e.g. "Sun").
	Enum     []string
	FoldCase bool
	Aliases  []string
	// EnumName, when set, names a long Enum in words ("metric keys").
	EnumName string
	// EmptyItem says that an empty string in a list of strings is taken
	// (it leaves the scenario's value); an optional string field always
	// takes "" for its default.
	EmptyItem bool
	// Pattern is a regular expression a string must match (Go RE2 and
	// ECMA 262 alike).
	Pattern string
	// Format is the JSON Schema format of a string, e.g. "date".
	Format string
	// Nullable says that null is taken for the zero value, as az prints
	// unset properties.
	Nullable bool
}

// Object is a scenario object type: its fields and the paths where it
// appears.
type Object struct {
	Name   string   // the Go type's name, e.g. "Pool"
	Doc    string   // what it is
	Paths  []string // where it appears, e.g. "clusters[].pools[]"
	Fields []Field
	// ExactlyOne says that exactly one of the fields must be set.
	ExactlyOne bool
}

// objectDoc documents one object type: its own doc and its fields by file
// name.
type objectDoc struct {
	doc        string
	fields     map[string]Field
	exactlyOne bool
}

// docOf returns the documentation of the struct type t.
func docOf(t reflect.Type) (objectDoc, bool) {
	d, ok := reference[t]
	return d, ok
}

var (
	durationType = reflect.TypeFor[Duration]()
	timeType     = reflect.TypeFor[time.Time]()
	readOnlyType = reflect.TypeFor[ReadOnly]()
)

// jsonName returns the file name of a struct field, or "" when the field is
// not in the file.
func jsonName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	tag := f.Tag.Get("json")
	if tag == "-" {
		return ""
	}
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		return f.Name
	}
	return name
}

// Reference lists every object type of a scenario file, the scenario
// itself first, in the order a walk of the file's fields meets them. It
// panics if a field has no documentation (a test keeps that from
// happening).
func Reference() []Object {
	var out []Object
	index := map[reflect.Type]int{}
	var walk func(t reflect.Type, path string)
	walk = func(t reflect.Type, path string) {
		i, seen := index[t]
		if seen {
			out[i].Paths = append(out[i].Paths, path)
		} else {
			d, ok := docOf(t)
			if !ok {
				panic(fmt.Sprintf("plan: %s (at %s) has no entry in the scenario reference table (plan/fields.go)", t, path))
			}
			i = len(out)
			index[t] = i
			out = append(out, Object{Name: t.Name(), Doc: d.doc, Paths: []string{path}, ExactlyOne: d.exactlyOne})
		}
		var nested []func()
		for j := range t.NumField() {
			sf := t.Field(j)
			name := jsonName(sf)
			if name == "" {
				continue
			}
			ft, list := elem(sf.Type)
			p := join(path, name)
			if !seen {
				f, ok := reference[t].fields[name]
				if !ok {
					panic(fmt.Sprintf("plan: %s.%s has no entry in the scenario reference table (plan/fields.go)", t.Name(), name))
				}
				f.Name, f.Path, f.Type = name, p, typeName(ft)
				if list {
					f.Type = "list of " + f.Type
				}
				out[i].Fields = append(out[i].Fields, f)
			}
			if ft.Kind() == reflect.Struct && ft != timeType {
				if list {
					p += "[]"
				}
				nested = append(nested, func() { walk(ft, p) })
			}
		}
		for _, n := range nested {
			n()
		}
	}
	walk(reflect.TypeFor[Scenario](), "")
	return out
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// elem returns the type behind pointers and whether it is a list.
func elem(t reflect.Type) (reflect.Type, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Slice {
		t, _ = elem(t.Elem())
		return t, true
	}
	return t, false
}

func typeName(t reflect.Type) string {
	switch {
	case t == durationType:
		return "duration"
	case t == timeType:
		return "date-time"
	case t == readOnlyType:
		return "any"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint64, reflect.Uint32, reflect.Uint:
		return "integer"
	case reflect.Float64, reflect.Float32:
		return "number"
	case reflect.Struct:
		return t.Name()
	}
	panic(fmt.Sprintf("plan: scenario field of unsupported type %s", t))
}

// Allowed says which values the field takes, in words: a range, a list of
// names, or a format.
func (f Field) Allowed() string {
	var parts []string
	switch {
	case f.Min != nil && f.Max != nil:
		parts = append(parts, num(*f.Min)+" to "+num(*f.Max))
	case f.Min != nil:
		parts = append(parts, "at least "+num(*f.Min))
	case f.Max != nil:
		parts = append(parts, "at most "+num(*f.Max))
	}
	if f.ZeroDefault && len(parts) > 0 {
		parts[len(parts)-1] += " (0 means " + f.Default + ")"
	}
	if w, ok := patternWords[f.Pattern]; ok {
		parts = append(parts, w)
	}
	if len(f.Enum) > 0 {
		s := "one of " + strings.Join(f.Enum, ", ")
		if f.EnumName != "" {
			s = "one of the " + f.EnumName
		}
		if f.FoldCase {
			s += " (any case)"
		}
		if len(f.Aliases) > 0 {
			s += ", or " + strings.Join(f.Aliases, ", ")
		}
		parts = append(parts, s)
	}
	if f.AtLeast > 0 {
		parts = append(parts, "at least "+dur(f.AtLeast.D()))
	} else if f.Positive {
		parts = append(parts, "above 0")
	} else if strings.HasSuffix(f.Type, "duration") {
		parts = append(parts, "at least 0")
	}
	return strings.Join(parts, "; ")
}

func num(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// checkInt returns an error naming path when v is outside f's range, nil
// otherwise.
func (f Field) checkInt(path string, v int) error {
	x := float64(v)
	if (f.ZeroDefault && v == 0) || ((f.Min == nil || x >= *f.Min) && (f.Max == nil || x <= *f.Max)) {
		return nil
	}
	return fieldErr(path, "%d is outside %s", v, f.Allowed())
}

// lookup returns the index in f.Enum of the value s (an alias counts as
// the name it follows in Aliases' order, modulo len(Enum)), or false.
func (f Field) lookup(s string) (int, bool) {
	eq := func(a, b string) bool { return a == b || (f.FoldCase && strings.EqualFold(a, b)) }
	for i, e := range f.Enum {
		if eq(s, e) {
			return i, true
		}
	}
	for i, a := range f.Aliases {
		if eq(s, a) {
			return i % len(f.Enum), true
		}
	}
	return 0, false
}

// field returns the documentation of the field name of T; it panics if
// there is none, which a test rules out.
func field[T any](name string) Field {
	d, ok := docOf(reflect.TypeFor[T]())
	f, found := d.fields[name]
	if !ok || !found {
		panic(fmt.Sprintf("plan: no reference entry for %s.%s", reflect.TypeFor[T]().Name(), name))
	}
	f.Name = name
	return f
}

func ptr(x float64) *float64 { return &x }
