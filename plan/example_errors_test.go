package plan_test

import (
	"errors"
	"fmt"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/plan"
)

// Each problem of a scenario is a FieldError: its path as the file writes
// it, and the cause, wrapped, so that errors.Is finds the rule broken.
func ExampleFieldError() {
	s, err := plan.Parse([]byte(`
start: 2025-01-06
clusters:
  - name: prod
    region: westeurope
    nodeOSUpgradeChannel: SecurityPatch
    pools:
      - {name: win, count: 2, osType: Windows}
`), "")
	if err != nil {
		fmt.Println(err)
		return
	}
	err = s.Validate()
	var fe *plan.FieldError
	if errors.As(err, &fe) {
		fmt.Println("path:", fe.Path)
	}
	fmt.Println("SecurityPatch on Windows:", errors.Is(err, channel.ErrSecurityPatchOnWindows))
	fmt.Println(err)
	// Output:
	// path: clusters[0].pools[0]
	// SecurityPatch on Windows: true
	// plan: clusters[0].pools[0]: node OS channel SecurityPatch is not supported on Windows pools
}
