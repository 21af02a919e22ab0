package channel_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
)

func TestParseSeverity(t *testing.T) {
	t.Parallel()
	for _, s := range []channel.Severity{channel.Critical, channel.High, channel.Medium, channel.Low} {
		got, err := channel.ParseSeverity(s.String())
		require.NoError(t, err)
		assert.Equal(t, s, got)
	}
	got, err := channel.ParseSeverity("HiGh")
	require.NoError(t, err)
	assert.Equal(t, channel.High, got)
	_, err = channel.ParseSeverity("urgent")
	require.Error(t, err)
	assert.EqualError(t, err, `channel: severity "urgent": want one of critical, high, medium, low`)
	assert.Less(t, channel.Critical, channel.Low, "Critical sorts first")
}

func TestParseClassAndOS(t *testing.T) {
	t.Parallel()
	c, err := channel.ParseClass("KERNEL")
	require.NoError(t, err)
	assert.Equal(t, channel.Kernel, c)
	_, err = channel.ParseClass("driver")
	assert.ErrorContains(t, err, "want one of userspace, kernel")

	o, err := channel.ParseOS("windows")
	require.NoError(t, err)
	assert.Equal(t, channel.OSWindows, o)
	assert.Equal(t, "Windows", o.String())
	_, err = channel.ParseOS("macOS")
	assert.ErrorContains(t, err, "want one of Linux, Windows")
}

func TestContains(t *testing.T) {
	t.Parallel()
	r := channel.Release{OS: channel.OSLinux, Cut: date(2024, 5, 3)}
	tests := []struct {
		name string
		a    channel.Advisory
		want bool
	}{
		{"before cut", channel.Advisory{Published: date(2024, 5, 2), OS: channel.OSLinux}, true},
		{"at cut", channel.Advisory{Published: date(2024, 5, 3), OS: channel.OSLinux}, true},
		{"after cut", channel.Advisory{Published: date(2024, 5, 3).Add(1), OS: channel.OSLinux}, false},
		{"other OS", channel.Advisory{Published: date(2024, 5, 2), OS: channel.OSWindows}, false},
		{"kernel class alike", channel.Advisory{Published: date(2024, 5, 2), Class: channel.Kernel}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, r.Contains(tc.a))
		})
	}
}
