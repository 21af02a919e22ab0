package plan

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v2"
)

// decode fills dst (a pointer) from a YAML or JSON document, field by field
// as encoding/json would (names as the json tags say, matched exactly or
// else ignoring case; unknown fields refused), and returns every problem at
// once, each a [*FieldError] with the field's path: unknown fields, values
// of the wrong type, dates and durations that do not parse, numbers that
// are not finite or do not fit. A document that is not YAML at all is one
// error with its line; so is a second document after the first ("---"),
// which would otherwise be silently ignored.
func decode(data []byte, dst any) error {
	var tree any
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.SetStrict(true)
	if err := dec.Decode(&tree); err != nil && err != io.EOF {
		return fmt.Errorf("plan: %w", err)
	}
	var extra any
	if err := dec.Decode(&extra); err != io.EOF {
		return fmt.Errorf("plan: the file holds more than one YAML document (a \"---\" line); a scenario is one document")
	}
	var errs problems
	decodeValue("", tree, reflect.ValueOf(dst).Elem(), &errs)
	return errs.err()
}

// dateFormats names the date forms a scenario accepts.
const dateFormats = "2025-01-01 or RFC 3339, e.g. 2025-01-06T00:00:00Z"

// decodeValue decodes the YAML value v into dst, the field at path.
func decodeValue(path string, v any, dst reflect.Value, errs *problems) {
	bad := func(format string, args ...any) { errs.add("", "", fieldErr(path, format, args...)) }
	if v == nil {
		return // null leaves the zero value, as in JSON
	}
	switch dst.Type() {
	case timeType:
		s, ok := v.(string)
		t, err := parseDate(s)
		if !ok || err != nil {
			bad("%s is not a date (%s)", show(v), dateFormats)
			return
		}
		dst.Set(reflect.ValueOf(t))
		return
	case durationType:
		s, ok := v.(string)
		if !ok {
			bad("%s is not a duration (want e.g. \"7d\", \"36h\", \"1d12h\")", show(v))
			return
		}
		d, err := ParseDuration(s)
		if err != nil {
			errs.add("", "", &FieldError{Path: path, Err: err})
			return
		}
		dst.Set(reflect.ValueOf(d))
		return
	case readOnlyType:
		return // any value, not read
	}
	switch dst.Kind() {
	case reflect.Pointer:
		p := reflect.New(dst.Type().Elem())
		decodeValue(path, v, p.Elem(), errs)
		dst.Set(p)
	case reflect.Struct:
		decodeStruct(path, v, dst, errs)
	case reflect.Slice:
		seq, ok := v.([]any)
		if !ok {
			bad("%s is not a list", show(v))
			return
		}
		out := reflect.MakeSlice(dst.Type(), len(seq), len(seq))
		for i, e := range seq {
			decodeValue(fmt.Sprintf("%s[%d]", path, i), e, out.Index(i), errs)
		}
		dst.Set(out)
	case reflect.String:
		s, ok := v.(string)
		switch b, isBool := v.(bool); {
		case ok:
		case isBool && b:
			// A name such as y, yes or on: YAML 1.1 reads it as a boolean.
			bad("true is not a string: YAML reads y, yes, on and true as true; quote it")
			return
		case isBool:
			bad("false is not a string: YAML reads n, no, off and false as false; quote it")
			return
		default:
			bad("%s is not a string (quote it)", show(v))
			return
		}
		dst.SetString(s)
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			bad("%s is not true or false", show(v))
			return
		}
		dst.SetBool(b)
	case reflect.Int, reflect.Int64, reflect.Int32:
		n, ok := whole(v)
		switch {
		case !ok && integral(v):
			bad("%s is out of range", show(v))
		case !ok:
			bad("%s", notWhole(v))
		case dst.OverflowInt(n):
			bad("%d is out of range", n)
		default:
			dst.SetInt(n)
		}
	case reflect.Uint64, reflect.Uint, reflect.Uint32:
		n, ok := whole(v)
		if u, isU := v.(uint64); isU {
			dst.SetUint(u)
			return
		}
		most := uint64(math.MaxUint64 >> (64 - dst.Type().Bits()))
		switch {
		case !ok && integral(v):
			bad("%s is out of range (0 to %d)", show(v), most)
		case !ok:
			bad("%s", notWhole(v))
		case n < 0 || dst.OverflowUint(uint64(n)):
			bad("%d is out of range (0 to %d)", n, most)
		default:
			dst.SetUint(uint64(n))
		}
	case reflect.Float64:
		var f float64
		switch x := v.(type) {
		case float64:
			f = x
		case int:
			f = float64(x)
		case int64:
			f = float64(x)
		case uint64:
			f = float64(x)
		default:
			bad("%s is not a number", show(v))
			return
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			bad("%s is not a finite number", show(v))
			return
		}
		dst.SetFloat(f)
	default:
		bad("cannot be read into %s", dst.Type())
	}
}

// decodeStruct decodes the YAML mapping v into the struct dst: its fields
// in their declared order, then the keys that match none.
func decodeStruct(path string, v any, dst reflect.Value, errs *problems) {
	at := func(key string) string { return join(path, key) }
	m, ok := v.(map[any]any)
	if !ok {
		errs.add("", "", fieldErr(path, "%s is not a mapping of fields", show(v)))
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, fmt.Sprint(k))
	}
	sort.Strings(keys)
	// Each field's key: its exact name, else one that differs in case (as
	// encoding/json reads them).
	used := map[string]bool{}
	var names []string
	fieldKeys := map[int]string{}
	t := dst.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		names = append(names, name)
		if _, ok := m[name]; ok {
			fieldKeys[i], used[name] = name, true
			continue
		}
		for _, k := range keys {
			if !used[k] && strings.EqualFold(k, name) {
				fieldKeys[i], used[k] = k, true
				break
			}
		}
	}
	for _, k := range keys {
		if used[k] {
			continue
		}
		if i := slices.IndexFunc(names, func(n string) bool { return strings.EqualFold(n, k) }); i >= 0 {
			errs.add("", "", fieldErr(at(k), "is %s again, spelt in another case; give each field once", names[i]))
			continue
		}
		errs.add("", "", fieldErr(at(k), "is not a field here (%s)", strings.Join(names, ", ")))
	}
	for i := range t.NumField() {
		if k, ok := fieldKeys[i]; ok {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			decodeValue(at(name), lookup(m, k), dst.Field(i), errs)
		}
	}
}

// lookup returns the value of key in a YAML mapping whose keys may be of
// any type.
func lookup(m map[any]any, key string) any {
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if fmt.Sprint(k) == key {
			return v
		}
	}
	return nil
}

// whole returns v as an integer when it is one.
func whole(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int64:
		return x, true
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x), true
		}
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
			return int64(x), true
		}
	}
	return 0, false
}

// integral reports whether v is a whole number too large for whole: YAML
// reads one past 64 bits as a float.
func integral(v any) bool {
	x, ok := v.(float64)
	return ok && x == math.Trunc(x) && !math.IsInf(x, 0)
}

// notWhole says why v, not a whole number, is refused.
func notWhole(v any) string {
	if _, ok := v.(float64); ok {
		return show(v) + " is not a whole number"
	}
	return show(v) + " is not a number"
}

// show writes a YAML value as the error quotes it: strings quoted, numbers
// and the rest as YAML would print them.
func show(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case float64:
		switch {
		case math.IsNaN(x):
			return ".nan"
		case math.IsInf(x, 1):
			return ".inf"
		case math.IsInf(x, -1):
			return "-.inf"
		}
	case map[any]any:
		return "a mapping"
	case []any:
		return "a list"
	}
	return fmt.Sprint(v)
}

// parseDate reads a date as scenarios write it: 2025-01-01 (midnight UTC)
// or an RFC 3339 instant.
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}
