package window_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/patchsim/patchsim/window"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseConfigurationsShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file  string
		names []string
		from  string
		first []string // first two windows of the first configuration
	}{
		{"az-show.json", []string{"aksManagedNodeOSUpgradeSchedule"}, "2025-12-14T00:00:00Z", []string{
			"2025-12-14T01:00:00Z 2025-12-14T07:00:00Z",
			"2026-01-04T01:00:00Z 2026-01-04T07:00:00Z", // 12-20..12-31 blacked out
		}},
		{"az-list.json", []string{"default", "aksManagedAutoUpgradeSchedule"}, "2025-06-30T00:00:00Z", []string{
			"2025-07-08T01:00:00Z 2025-07-08T04:00:00Z", // 07-01 blacked out
			"2025-07-15T01:00:00Z 2025-07-15T04:00:00Z",
		}},
		{"arm-get.json", []string{"aksManagedAutoUpgradeSchedule"}, "2025-02-01T00:00:00Z", []string{
			"2025-01-31T22:30:00Z 2025-02-01T02:30:00Z", // startDate 00:30 at +02:00, open at from
			"2025-02-03T22:30:00Z 2025-02-04T02:30:00Z",
		}},
		{"arm-list.json", []string{"default", "aksManagedNodeOSUpgradeSchedule"}, "2025-01-01T00:00:00Z", []string{
			"2025-01-01T03:00:00Z 2025-01-01T08:00:00Z", // anchor 2025-01-01 is a Wednesday
			"2025-01-15T03:00:00Z 2025-01-15T08:00:00Z",
		}},
		{"put-body.json", []string{""}, "2026-01-01T00:00:00Z", []string{
			"2026-01-29T21:45:00Z 2026-01-30T09:45:00Z",
			"2026-03-26T21:45:00Z 2026-03-27T09:45:00Z", // 02-26 blacked out
		}},
		{"bare-window.json", []string{""}, "2025-01-01T00:00:00Z", []string{
			"2025-01-03T22:00:00Z 2025-01-04T02:00:00Z",
			"2025-01-10T22:00:00Z 2025-01-11T02:00:00Z",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", tc.file))
			require.NoError(t, err)
			cfgs, err := window.ParseConfigurations(data)
			require.NoError(t, err)
			var names []string
			for _, c := range cfgs {
				names = append(names, c.Name)
				assert.NoError(t, c.Validate(), c.Name)
			}
			assert.Equal(t, tc.names, names)
			from := mustTime(t, tc.from)
			s, err := cfgs[0].Schedule(from)
			require.NoError(t, err)
			assert.Equal(t, tc.first, windows(s, from, 2))
		})
	}
}

func TestParseConfigurationsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"empty", "  ", "window: empty input: want a maintenance configuration in JSON"},
		{"syntax", `{"properties": {`, "window: (top level): invalid JSON at byte 16: unexpected end of JSON input"},
		{"type in ARM", `{"name": "default", "properties": {"maintenanceWindow": {"durationHours": "4"}}}`,
			"window: properties.maintenanceWindow.durationHours: a JSON string is not allowed here (want int)"},
		{"type in a list", `{"value": [{"properties": {"timeInWeek": [{"day": "Monday", "hourSlots": [1.5]}]}}]}`,
			"window: value[0].properties.timeInWeek.hourSlots: a JSON number 1.5 is not allowed here (want int)"},
		{"unknown in a bare window", `{"schedule": {"weekly": {"intervalWeeks": 1, "dayOfWeek": "Monday"}}, "durationHour": 4}`,
			`window: maintenanceWindow: json: unknown field "durationHour"`},
		{"not a configuration", `[{"kind": "thing"}]`,
			"window: [0]: not a maintenance configuration: want properties, maintenanceWindow, timeInWeek, or a bare maintenanceWindow with schedule"},
		{"name not a string", `{"name": 3, "properties": {}}`, "window: name: a JSON number is not allowed here (want string)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := window.ParseConfigurations([]byte(tc.in))
			assert.EqualError(t, err, tc.want)
		})
	}
}

func TestParseIgnoresUnknownAzFields(t *testing.T) {
	t.Parallel()
	cfgs, err := window.ParseConfigurations([]byte(`{"name": "default", "etag": "x", "maintenanceWindow": {"schedule": {"weekly": {"intervalWeeks": 1, "dayOfWeek": "Monday", "extra": 1}}, "durationHours": 4, "startTime": "00:00", "future": true}}`))
	require.NoError(t, err)
	require.Len(t, cfgs, 1)
	assert.NoError(t, cfgs[0].Validate())
	s, err := cfgs[0].Schedule(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Equal(t, []string{"2025-01-06T00:00:00Z 2025-01-06T04:00:00Z"}, windows(s, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), 1))
}
