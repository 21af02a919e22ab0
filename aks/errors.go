package aks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is one problem found in an input document. The parsers return the
// errors.Join of every Error they find, so a caller sees all problems at once
// and can pick them apart with errors.As.
type Error struct {
	File   string // file name the caller passed to the parser; "" if none
	Path   string // JSON path of the value, e.g. agentPoolProfiles[1].upgradeSettings.maxSurge; "" for the whole document
	Object string // name of the pool or node the path points into, when known
	Value  string // the offending JSON text, cut after 64 bytes; "" when the value is missing
	Msg    string // what is wrong and what is allowed
}

// Error formats the problem as "aks: FILE: PATH (pool "x") = VALUE: MSG",
// leaving out the parts that are empty.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	head := b.Len()
	if e.Path != "" {
		b.WriteString(e.Path)
	}
	if e.Object != "" {
		if e.Path != "" {
			b.WriteByte(' ')
		}
		b.WriteString("(")
		b.WriteString(e.Object)
		b.WriteString(")")
	}
	switch {
	case e.Value != "":
		if e.Path != "" || e.Object != "" {
			b.WriteString(" = ")
		}
		b.WriteString(e.Value)
	case e.Path != "":
		b.WriteString(" missing")
	}
	if b.Len() > head {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return "aks: " + b.String()
}

// notJSON says why data, which json.Valid refuses, is not JSON, and where:
// the line and column (in characters, from 1) of the last byte read.
func notJSON(data []byte) string {
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if !errors.As(err, &se) || se.Offset < 1 || se.Offset > int64(len(data)) {
		return fmt.Sprintf("not JSON: %v", err)
	}
	at := int(se.Offset) - 1
	start := bytes.LastIndexByte(data[:at], '\n') + 1
	line := bytes.Count(data[:start], []byte("\n")) + 1
	return fmt.Sprintf("not JSON at line %d, column %d: %v", line, utf8.RuneCount(data[start:at])+1, err)
}

// maxValueLen bounds Error.Value so a huge value cannot flood the message.
const maxValueLen = 64

// shown renders raw JSON for Error.Value, cut after maxValueLen bytes.
func shown(raw json.RawMessage) string {
	s := string(bytes.TrimSpace(raw))
	if len(s) > maxValueLen {
		cut := maxValueLen
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// decoder walks a JSON document held as json.RawMessage values and collects
// every problem with its path, so one bad value never hides the next.
type decoder struct {
	file string
	errs []error
}

func (d *decoder) fail(path, object string, raw json.RawMessage, format string, args ...any) {
	d.errs = append(d.errs, &Error{
		File:   d.file,
		Path:   path,
		Object: object,
		Value:  shown(raw),
		Msg:    fmt.Sprintf(format, args...),
	})
}

// isNull reports whether raw is absent or the JSON literal null; az prints
// unset fields as null.
func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}

// object decodes the JSON object raw into dst, a struct of json.RawMessage
// fields, and reports whether there was one. Absent or null is no object and
// no error; any other non-object is an error.
func (d *decoder) object(path, object string, raw json.RawMessage, dst any) bool {
	if isNull(raw) {
		return false
	}
	if bytes.TrimSpace(raw)[0] != '{' {
		d.fail(path, object, raw, "want a JSON object")
		return false
	}
	// The document was validated as JSON and every field of dst is a
	// json.RawMessage or a map of them, so this cannot fail.
	if err := json.Unmarshal(raw, dst); err != nil {
		d.fail(path, object, raw, "%v", err)
		return false
	}
	return true
}

// array returns the elements of the JSON array raw; absent or null is an
// empty array.
func (d *decoder) array(path, object string, raw json.RawMessage) []json.RawMessage {
	if isNull(raw) {
		return nil
	}
	var elems []json.RawMessage
	if bytes.TrimSpace(raw)[0] != '[' || json.Unmarshal(raw, &elems) != nil {
		d.fail(path, object, raw, "want a JSON array")
		return nil
	}
	return elems
}

// str returns the JSON string raw and whether it was present as a string
// (possibly empty). Absent and null are not present and not an error; other
// non-strings are an error.
func (d *decoder) str(path, object string, raw json.RawMessage) (string, bool) {
	if isNull(raw) {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		d.fail(path, object, raw, "want a JSON string")
		return "", false
	}
	return s, true
}

// required is str that also reports an absent, null or empty value; ok means
// a non-empty string.
func (d *decoder) required(path, object string, raw json.RawMessage, what string) (string, bool) {
	if isNullOrEmptyString(raw) {
		d.fail(path, object, raw, "required: %s", what)
		return "", false
	}
	return d.str(path, object, raw)
}

func isNullOrEmptyString(raw json.RawMessage) bool {
	return isNull(raw) || string(bytes.TrimSpace(raw)) == `""`
}

// integer returns the JSON integer raw within [lo, hi] and whether it was
// present and valid. Absent and null are not present and not an error.
func (d *decoder) integer(path, object string, raw json.RawMessage, lo, hi int) (int, bool) {
	if isNull(raw) {
		return 0, false
	}
	n, err := strconv.Atoi(string(bytes.TrimSpace(raw)))
	if err != nil {
		d.fail(path, object, raw, "want a JSON integer in %d..%d", lo, hi)
		return 0, false
	}
	if n < lo || n > hi {
		d.fail(path, object, raw, "out of range: want %d..%d", lo, hi)
		return 0, false
	}
	return n, true
}

// oneOf matches s case-insensitively against allowed and returns the allowed
// spelling.
func oneOf(s string, allowed []string) (string, bool) {
	for _, a := range allowed {
		if strings.EqualFold(s, a) {
			return a, true
		}
	}
	return "", false
}

// enum reads an optional string that must be one of allowed (compared
// case-insensitively) and returns the allowed spelling. ok is false when the
// value is absent, null or invalid (then reported).
func (d *decoder) enum(path, object string, raw json.RawMessage, allowed []string) (string, bool) {
	s, ok := d.str(path, object, raw)
	if !ok {
		return "", false
	}
	v, ok := oneOf(s, allowed)
	if !ok {
		d.fail(path, object, raw, "want one of %s (any case)", strings.Join(allowed, ", "))
	}
	return v, ok
}
