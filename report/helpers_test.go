package report_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/plan"
)

var (
	shortOnce sync.Once
	short     *plan.Comparison
	shortErr  error
)

// shortDefault runs the default scenario over 120 days with 4
// replications, keeping distributions and traces; the run is shared by the
// tests.
func shortDefault(t *testing.T) *plan.Comparison {
	t.Helper()
	shortOnce.Do(func() {
		s := plan.Default()
		s.Horizon = plan.Duration(120 * 24 * time.Hour)
		s.Replications = 4
		p, err := plan.New(s)
		if err != nil {
			shortErr = err
			return
		}
		short, shortErr = p.Compare(context.Background(), plan.Options{Distributions: true, Trace: true})
	})
	require.NoError(t, shortErr)
	return short
}
