package plan

import (
	"encoding/json"
	"regexp"
	"strings"
	"unicode"
)

// SchemaURL is where the JSON Schema of scenario files is published (the
// repository's docs/scenario.schema.json); `patchsim example` points
// editors at it.
const SchemaURL = "https://raw.githubusercontent.com/patchsim/patchsim/main/docs/scenario.schema.json"

// Modeline is the first line of a scenario file that points the YAML
// language server (and the editors built on it) at the schema.
const Modeline = "# yaml-language-server: $schema=" + SchemaURL

// durationPattern is a non-negative [Duration] as ParseDuration reads it:
// "0", days ("7d", "1.5d"), a Go duration ("36h", "90m") or both ("1d12h").
const durationPattern = `^\s*(0|([0-9]+(\.[0-9]*)?|\.[0-9]+)d(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))*|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)\s*$`

// Schema returns the JSON Schema (draft 2020-12) of scenario files, built
// from [Reference]: the same fields, ranges and names that Validate
// checks. A file the schema accepts may still fail Validate on rules that
// span fields (unique names, a window's blackout order, maxBlockedNodes
// against maxSurge, and the like); a file with the field names written as
// here that the schema rejects fails Validate too (a test holds it).
func Schema() []byte {
	defs := map[string]any{}
	for _, o := range Reference() {
		props := map[string]any{}
		var required []string
		for _, f := range o.Fields {
			props[f.Name] = fieldSchema(f)
			if f.Required {
				required = append(required, f.Name)
			}
		}
		s := map[string]any{
			"type":                 "object",
			"description":          o.Doc,
			"properties":           props,
			"additionalProperties": false,
		}
		if len(required) > 0 {
			s["required"] = required
		}
		if o.ExactlyOne {
			s["minProperties"], s["maxProperties"] = 1, 1
		}
		defs[o.Name] = s
	}
	root := map[string]any{
		"$schema": "https://json-schema.org/draft/2020-12/schema",
		"$id":     SchemaURL,
		"title":   "patchsim scenario",
		"$ref":    "#/$defs/Scenario",
		"$defs":   defs,
	}
	b, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		panic("plan: the scenario schema does not marshal: " + err.Error())
	}
	return append(b, '\n')
}

// fieldSchema returns the schema of one field.
func fieldSchema(f Field) map[string]any {
	item, list := strings.CutPrefix(f.Type, "list of ")
	s := valueSchema(f, item)
	constrained := item == "string" && (len(f.Enum) > 0 || f.Pattern != "" || f.Format != "")
	if constrained && ((!list && !f.Required) || (list && f.EmptyItem)) {
		// An optional string left empty means its default.
		s = map[string]any{"anyOf": []any{s, map[string]any{"const": ""}}}
	}
	if list {
		s = map[string]any{"type": "array", "items": s}
	}
	if f.Nullable && item != "any" {
		s = map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
	}
	s["description"] = description(f)
	return s
}

// valueSchema returns the schema of one value of f, of type typ.
func valueSchema(f Field, typ string) map[string]any {
	s := map[string]any{}
	switch typ {
	case "string":
		s["type"] = "string"
		if f.Pattern != "" {
			s["pattern"] = f.Pattern
		}
		if f.Format != "" {
			s["format"] = f.Format
		}
		if len(f.Enum) > 0 {
			if !f.FoldCase {
				s["enum"] = append(append([]string(nil), f.Enum...), f.Aliases...)
			} else {
				// Completion offers the names; any case validates.
				s["anyOf"] = []any{
					map[string]any{"enum": f.Enum},
					map[string]any{"pattern": foldPattern(append(append([]string(nil), f.Enum...), f.Aliases...))},
				}
			}
		}
	case "integer", "number":
		s["type"] = typ
		bounds := s
		if f.ZeroDefault {
			bounds = map[string]any{}
			s["anyOf"] = []any{map[string]any{"const": 0}, bounds}
		}
		if f.Min != nil {
			bounds["minimum"] = *f.Min
		}
		if f.Max != nil {
			bounds["maximum"] = *f.Max
		}
	case "boolean":
		s["type"] = "boolean"
	case "duration":
		s["type"] = "string"
		s["pattern"] = durationPattern
		if f.Positive {
			s["not"] = map[string]any{"pattern": "^[^1-9]*$"}
		}
	case "any":
		// Any value: a read-only property, not read.
	case "date-time":
		// RFC 3339, or a date alone for its midnight UTC.
		s["type"] = "string"
		s["anyOf"] = []any{map[string]any{"format": "date-time"}, map[string]any{"format": "date"}}
	default:
		s["$ref"] = "#/$defs/" + typ
	}
	return s
}

// description is the text editors show for a field.
func description(f Field) string {
	parts := []string{f.Doc}
	if f.Unit != "" {
		parts = append(parts, "Unit: "+f.Unit+".")
	}
	if a := f.Allowed(); a != "" {
		parts = append(parts, "Allowed: "+a+".")
	}
	if f.Default != "" {
		parts = append(parts, "Default: "+f.Default+".")
	}
	if f.AKS != "" {
		parts = append(parts, "AKS: "+f.AKS+".")
	}
	if f.Source != "" {
		parts = append(parts, "Source: "+f.Source+".")
	}
	return strings.Join(parts, " ")
}

// foldPattern matches any of names in any case, with letters spelt as
// classes ("[Nn][Oo]...") so that ECMA 262 and RE2 read it alike.
func foldPattern(names []string) string {
	alts := make([]string, len(names))
	for i, n := range names {
		var b strings.Builder
		for _, r := range n {
			lo, up := unicode.ToLower(r), unicode.ToUpper(r)
			if lo != up {
				b.WriteString("[" + string(up) + string(lo) + "]")
			} else {
				b.WriteString(regexp.QuoteMeta(string(r)))
			}
		}
		alts[i] = b.String()
	}
	return "^(" + strings.Join(alts, "|") + ")$"
}
