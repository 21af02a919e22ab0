package aks

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBrokenJSONNamesWhere: a file that is not JSON (cut short, a stray
// comma) is named once, with the line and column where reading stopped,
// by each parser alike.
func TestBrokenJSONNamesWhere(t *testing.T) {
	parsers := map[string]func(string, []byte) error{
		"cluster": func(f string, d []byte) error { _, err := ParseCluster(f, d); return err },
		"nodes":   func(f string, d []byte) error { _, err := ParseNodes(f, d); return err },
		"fleet":   func(f string, d []byte) error { _, err := ParseFleet(f, d); return err },
	}
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"cut short", "{\n  \"name\": \"a\",\n  \"group\": \"g", `aks: f.json: not JSON at line 3, column 13: unexpected end of JSON input`},
		{"stray comma", "[{\"name\": \"a\",}]", `aks: f.json: not JSON at line 1, column 15: invalid character '}' looking for beginning of object key string`},
		{"é before the error", "{\"é\": tru}", `aks: f.json: not JSON at line 1, column 10: invalid character '}' in literal true (expecting 'e')`},
	} {
		for name, parse := range parsers {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				err := parse("f.json", []byte(tc.doc))
				require.Error(t, err)
				assert.Equal(t, tc.want, err.Error())
			})
		}
	}
}
