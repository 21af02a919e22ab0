package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "time/tzdata"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden runs the CLI in-process and compares exit status, stdout and
// stderr with testdata/golden/<name>.txt. Arguments are split on spaces; a
// "~" inside one stands for a space.
func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		args string
	}{
		{"help", "help"},
		{"run-help", "run --help"},
		{"compare-help", "compare --help"},
		{"sweep-help", "sweep --help"},
		{"plot-help", "plot --help"},
		{"report-help", "report --help"},
		{"example-help", "example --help"},
		{"schema-help", "schema --help"},
		{"bad-scenario", "run testdata/bad-scenario.yaml"},
		{"bad-flags", "compare --replications 0 --workers 0 --json --markdown"},
		{"unknown-command", "simulate"},
		{"windows-help", "windows --help"},
		{"config-az-show", "windows --config testdata/nodeos-weekly.json --from 2025-03-08T00:00:00Z --count 4"},
		{"config-az-show-json", "windows --config testdata/nodeos-weekly.json --from 2025-03-08T00:00:00Z --count 2 --json"},
		{"config-arm-list-by-name", "windows --config testdata/cluster-configs.json --name aksManagedAutoUpgradeSchedule --from 2025-01-01T00:00:00Z --count 4"},
		{"config-anchor-from", "windows --config testdata/cluster-configs.json --name aksManagedNodeOSUpgradeSchedule --from 2025-05-10T23:30:00Z --count 3"},
		{"config-ambiguous", "windows --config testdata/cluster-configs.json --from 2025-01-01T00:00:00Z"},
		{"config-unknown-name", "windows --config testdata/cluster-configs.json --name nightly --from 2025-01-01T00:00:00Z"},
		{"config-invalid", "windows --config testdata/invalid.json --from 2025-01-01T00:00:00Z"},
		{"config-broken-json", "windows --config testdata/broken.json --from 2025-01-01T00:00:00Z"},
		{"config-missing-file", "windows --config testdata/nope.json --from 2025-01-01T00:00:00Z"},
		{"rrule-dst", "windows --rrule FREQ=DAILY --dtstart 2024-03-08T02:30 --duration 2h --tz America/New_York --from 2024-03-08T00:00:00Z --count 4"},
		{"cron-blackout", "windows --cron 0~3~*~*~1-5 --duration 90m --tz Europe/London --blackout 2025-03-31T00:00:00Z/2025-04-01T02:30:00Z --from 2025-03-28T00:00:00Z --count 4"},
		{"weekly-wraps", "windows --weekly Fri,Sat~22:00-04:00 --tz Europe/Berlin --from 2025-03-28T00:00:00Z --count 3 --json"},
		{"flag-errors", "windows --cron @daily --rrule FREQ=DAILY --tz Mars/Olympus --count 0 --name x"},
		{"rrule-errors", "windows --rrule FREQ=SOMETIMES --duration -1h --from 2025-01-01T00:00:00Z"},
		{"rrule-bad-dtstart", "windows --rrule FREQ=DAILY;BYHOUR=24 --dtstart 2025-01-01~02:00 --duration 1h --from 2025-01-01T00:00:00Z"},
		{"weekly-errors", "windows --weekly Mon-Funday~25:00-03:00 --from 2025-01-01T00:00:00Z"},
		{"bad-flag", "windows --frm 2025-01-01T00:00:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var args []string
			for _, a := range strings.Fields(tc.args) {
				args = append(args, strings.ReplaceAll(a, "~", " "))
			}
			var stdout, stderr bytes.Buffer
			code := run(args, &stdout, &stderr)
			got := fmt.Sprintf("$ patchsim %s\nexit %d\n-- stdout --\n%s-- stderr --\n%s", tc.args, code, stdout.String(), stderr.String())
			path := filepath.Join("testdata", "golden", tc.name+".txt")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run with -update to create the golden file")
			assert.Equal(t, string(want), got)
			if code == 2 {
				assert.Empty(t, stdout.String(), "invalid input prints nothing on stdout")
				assert.NotEmpty(t, stderr.String())
			}
		})
	}
}
