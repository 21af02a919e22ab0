package archtest

import (
	"go/token"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChecksCatchViolations feeds each check a synthetic file that breaks
// its rule, and one that keeps it, so the architecture tests above cannot
// pass vacuously.
func TestChecksCatchViolations(t *testing.T) {
	mk := func(rel, src string) file {
		t.Helper()
		f, err := parseFile(token.NewFileSet(), rel, rel, src)
		require.NoError(t, err)
		return f
	}
	cases := []struct {
		name  string
		check func([]file) []string
		bad   file
		good  file
	}{
		{"sim imports fleet", importProblems,
			mk("sim/x.go", `package sim; import _ "github.com/patchsim/patchsim/fleet"`),
			mk("fleet/x.go", `package fleet; import _ "github.com/patchsim/patchsim/sim"`)},
		{"window imports channel (sideways)", importProblems,
			mk("window/x.go", `package window; import _ "github.com/patchsim/patchsim/channel"`),
			mk("window/x_test.go", `package window_test; import _ "github.com/patchsim/patchsim/window"`)},
		{"example imports internal", importProblems,
			mk("examples/a/main.go", `package main; import _ "github.com/patchsim/patchsim/internal/archtest"`),
			mk("examples/a/main.go", `package main; import _ "github.com/patchsim/patchsim/plan"`)},
		{"benchmark imports cmd", importProblems,
			mk("benchmarks/x_test.go", `package benchmarks; import _ "github.com/patchsim/patchsim/cmd/patchsim"`),
			mk("benchmarks/x_test.go", `package benchmarks; import _ "github.com/patchsim/patchsim/sim"`)},
		{"fleet imports plot", plotProblems,
			mk("fleet/x.go", `package fleet; import _ "gonum.org/v1/plot"`),
			mk("report/x.go", `package report; import _ "gonum.org/v1/plot"`)},
		{"math/rand v1", bannedProblems,
			mk("channel/x.go", `package channel; import _ "math/rand"`),
			mk("channel/x.go", `package channel; import _ "math/rand/v2"`)},
		{"tzdata in library", bannedProblems,
			mk("window/x.go", `package window; import _ "time/tzdata"`),
			mk("window/x_test.go", `package window; import _ "time/tzdata"`)},
		{"time.Now in library", clockProblems,
			mk("sim/x.go", `package sim; import "time"; var _ = time.Now()`),
			mk("sim/x_test.go", `package sim; import "time"; var _ = time.Now()`)},
		{"renamed time.Sleep in library", clockProblems,
			mk("fleet/x.go", `package fleet; import tm "time"; func f() { tm.Sleep(1) }`),
			mk("cmd/patchsim/x.go", `package main; import "time"; var _ = time.Now()`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Len(t, tc.check([]file{tc.bad}), 1, "violation not caught")
			assert.Empty(t, tc.check([]file{tc.good}), "false alarm")
		})
	}
}
