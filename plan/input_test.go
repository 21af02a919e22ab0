package plan

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A second YAML document was silently ignored, and a key given twice in
// different cases read as unknown: both are errors that say so.
func TestExtraDocumentsAndCaseDuplicates(t *testing.T) {
	base := "name: x\nstart: 2025-01-06T00:00:00Z\nclusters:\n- name: c\n  region: westeurope\n  pools:\n  - {name: p, count: 2}\n"
	_, err := Parse([]byte(base), "")
	assert.NoError(t, err)

	_, err = Parse([]byte(base+"---\nname: y\n"), "")
	assert.EqualError(t, err, `plan: the file holds more than one YAML document (a "---" line); a scenario is one document`)

	_, err = Parse([]byte(base+"Name: y\n"), "")
	assert.EqualError(t, err, "plan: Name: is name again, spelt in another case; give each field once")
	_, err = Parse([]byte(base+"NAME: y\nName: z\n"), "")
	assert.ErrorContains(t, err, "is name again, spelt in another case")
}
