package plan

import (
	_ "embed"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML returns the text of the default scenario, the file `patchsim
// example` prints.
func DefaultYAML() []byte { return append([]byte(nil), defaultYAML...) }

// Default returns the default scenario: one AKS cluster with a system, an
// apps and a Windows pool and a weekly Sunday 4-hour node OS window, under
// the four node OS channels.
func Default() *Scenario {
	s, err := Parse(defaultYAML, "")
	if err != nil {
		panic("plan: the embedded default scenario does not parse: " + err.Error())
	}
	return s
}
