package channel_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
)

func TestParseChannels(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]channel.NodeOSChannel{
		"None": channel.NodeOSNone, "unmanaged": channel.NodeOSUnmanaged, "SECURITYPATCH": channel.NodeOSSecurityPatch,
		"NodeImage": channel.NodeOSNodeImage, "": channel.NodeOSUnset,
	} {
		got, err := channel.ParseNodeOSChannel(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
		assert.True(t, strings.EqualFold(in, got.String()), "String round-trips %q", in)
	}
	_, err := channel.ParseNodeOSChannel("Nightly")
	assert.EqualError(t, err, `channel: node OS channel "Nightly": want one of None, Unmanaged, SecurityPatch, NodeImage (or empty for unset)`)

	for in, want := range map[string]channel.ClusterChannel{
		"none": channel.ClusterNone, "Patch": channel.ClusterPatch, "STABLE": channel.ClusterStable,
		"rapid": channel.ClusterRapid, "node-image": channel.ClusterNodeImage, "": channel.ClusterNone,
	} {
		got, err := channel.ParseClusterChannel(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	assert.Equal(t, "node-image", channel.ClusterNodeImage.String())
	_, err = channel.ParseClusterChannel("NodeImage")
	assert.EqualError(t, err, `channel: cluster channel "NodeImage": want one of none, patch, stable, rapid, node-image`)
}

// Feeds, gating and actions per channel (reference/aks.md section 1.1 table;
// section 1.2 for Unmanaged's nightly install; section 10 for SecurityPatch
// reimaging iff a new kernel).
func TestResolveLinux(t *testing.T) {
	t.Parallel()
	tests := []struct {
		nodeOS          channel.NodeOSChannel
		feed            channel.Feed
		gated           bool
		withKernel, not channel.Action
	}{
		// None: nothing is applied (1.1).
		{channel.NodeOSNone, channel.FeedNone, false, channel.ActionNone, channel.ActionNone},
		// Unmanaged: nightly in-place install, kernel pending a reboot;
		// "will not work under maintenance windows" (1.1, 1.2).
		{channel.NodeOSUnmanaged, channel.FeedArchive, false, channel.ActionLivePatch, channel.ActionLivePatch},
		// SecurityPatch: reimage only for a kernel, else live patch; honours
		// the window (1.1, 1.3).
		{channel.NodeOSSecurityPatch, channel.FeedSecurityPatches, true, channel.ActionReimage, channel.ActionLivePatch},
		// NodeImage: rolling reimage in the window (1.1).
		{channel.NodeOSNodeImage, channel.FeedNodeImages, true, channel.ActionReimage, channel.ActionReimage},
		// Unset is NodeImage, the default since API 2023-06-01 (1.1).
		{channel.NodeOSUnset, channel.FeedNodeImages, true, channel.ActionReimage, channel.ActionReimage},
	}
	for _, tc := range tests {
		t.Run("node OS "+tc.nodeOS.String(), func(t *testing.T) {
			p, err := channel.Resolve(channel.OSLinux, tc.nodeOS, channel.ClusterNone)
			require.NoError(t, err)
			assert.Equal(t, tc.feed, p.Feed)
			assert.Equal(t, tc.gated, p.Gated)
			assert.Equal(t, tc.withKernel, p.Action(true))
			assert.Equal(t, tc.not, p.Action(false))
			assert.Empty(t, p.Warnings)
			assert.NotEqual(t, channel.NodeOSUnset, p.NodeOS)
		})
	}
}

// Windows (reference/aks.md section 1.5): SecurityPatch is an error,
// Unmanaged behaves as None with a warning, NodeImage reimages to the
// monthly Windows images.
func TestResolveWindows(t *testing.T) {
	t.Parallel()
	_, err := channel.Resolve(channel.OSWindows, channel.NodeOSSecurityPatch, channel.ClusterNone)
	assert.ErrorIs(t, err, channel.ErrSecurityPatchOnWindows)

	p, err := channel.Resolve(channel.OSWindows, channel.NodeOSUnmanaged, channel.ClusterPatch)
	require.NoError(t, err)
	assert.Equal(t, channel.NodeOSNone, p.NodeOS)
	assert.Equal(t, channel.FeedNone, p.Feed)
	assert.Equal(t, channel.ActionNone, p.Action(true))
	require.Len(t, p.Warnings, 1)
	assert.Contains(t, p.Warnings[0], "behaves as None")

	p, err = channel.Resolve(channel.OSWindows, channel.NodeOSNodeImage, channel.ClusterNone)
	require.NoError(t, err)
	assert.Equal(t, channel.FeedWindowsImages, p.Feed)
	assert.True(t, p.Gated)
	assert.Equal(t, channel.ActionReimage, p.Action(false))
}

// Cluster channel node-image forces NodeImage; another explicit node OS
// channel with it is an error (reference/aks.md section 1.4, 2).
func TestResolveNodeImageClusterChannel(t *testing.T) {
	t.Parallel()
	for _, nodeOS := range []channel.NodeOSChannel{channel.NodeOSUnset, channel.NodeOSNodeImage} {
		p, err := channel.Resolve(channel.OSLinux, nodeOS, channel.ClusterNodeImage)
		require.NoError(t, err)
		assert.Equal(t, channel.NodeOSNodeImage, p.NodeOS)
		assert.Equal(t, channel.FeedNodeImages, p.Feed)
		assert.False(t, p.KubernetesUpgrades, "node-image upgrades node images only")
	}
	for _, nodeOS := range []channel.NodeOSChannel{channel.NodeOSNone, channel.NodeOSUnmanaged, channel.NodeOSSecurityPatch} {
		_, err := channel.Resolve(channel.OSLinux, nodeOS, channel.ClusterNodeImage)
		assert.ErrorIs(t, err, channel.ErrNodeImageClusterChannel, nodeOS.String())
		assert.ErrorContains(t, err, "not "+nodeOS.String())
	}
	// Both rules broken at once: both reported.
	_, err := channel.Resolve(channel.OSWindows, channel.NodeOSSecurityPatch, channel.ClusterNodeImage)
	assert.ErrorIs(t, err, channel.ErrNodeImageClusterChannel)
	assert.ErrorIs(t, err, channel.ErrSecurityPatchOnWindows)
	_, err = channel.Resolve(channel.OS(7), channel.NodeOSChannel(9), channel.ClusterChannel(9))
	assert.ErrorContains(t, err, "OS OS(7)")
	assert.ErrorContains(t, err, "node OS channel NodeOSChannel(9)")
	assert.ErrorContains(t, err, "cluster channel ClusterChannel(9)")
}

// Cluster channels patch, stable and rapid upgrade Kubernetes, and "any
// upgrade operation ... upgrades the node image version" (reference/aks.md
// section 1.4).
func TestResolveKubernetesUpgrades(t *testing.T) {
	t.Parallel()
	for c, want := range map[channel.ClusterChannel]bool{
		channel.ClusterNone: false, channel.ClusterPatch: true, channel.ClusterStable: true,
		channel.ClusterRapid: true, channel.ClusterNodeImage: false,
	} {
		p, err := channel.Resolve(channel.OSLinux, channel.NodeOSUnset, c)
		require.NoError(t, err)
		assert.Equal(t, want, p.KubernetesUpgrades, c.String())
	}
}

// A node OS channel change reimages exactly on the transitions the current
// documentation lists: Unmanaged->None, Unspecified->Unmanaged,
// SecurityPatch->Unmanaged, NodeImage->Unmanaged, None->Unmanaged
// (reference/aks.md section 1.4); before mid-2025 the docs said any change
// does (the legacy option).
func TestChangeReimages(t *testing.T) {
	t.Parallel()
	u, none, um, sp, ni := channel.NodeOSUnset, channel.NodeOSNone, channel.NodeOSUnmanaged, channel.NodeOSSecurityPatch, channel.NodeOSNodeImage
	documented := map[[2]channel.NodeOSChannel]bool{
		{um, none}: true, {u, um}: true, {sp, um}: true, {ni, um}: true, {none, um}: true,
	}
	effective := func(c channel.NodeOSChannel) channel.NodeOSChannel {
		if c == u {
			return ni
		}
		return c
	}
	all := []channel.NodeOSChannel{u, none, um, sp, ni}
	for _, from := range all {
		for _, to := range all {
			assert.Equal(t, documented[[2]channel.NodeOSChannel{from, to}], channel.ChangeReimages(from, to, false), "%v -> %v", from, to)
			assert.Equal(t, effective(from) != effective(to), channel.ChangeReimages(from, to, true), "legacy %v -> %v", from, to)
		}
	}
	// Out of Unmanaged to an image channel is not in the list.
	assert.False(t, channel.ChangeReimages(um, ni, false))
	assert.False(t, channel.ChangeReimages(um, sp, false))
}

// A channel change takes effect within 24 hours (reference/aks.md section
// 1.4).
func TestChangeEffective(t *testing.T) {
	t.Parallel()
	at := date(2024, 6, 1)
	seen := map[time.Time]bool{}
	for i := range 200 {
		pool := "pool-" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		got := channel.ChangeEffective(3, pool, at, channel.MaxChangeDelay)
		assert.False(t, got.Before(at))
		assert.True(t, got.Before(at.Add(24*time.Hour)))
		assert.Equal(t, got, channel.ChangeEffective(3, pool, at, channel.MaxChangeDelay))
		seen[got] = true
	}
	assert.Greater(t, len(seen), 190)
	assert.Equal(t, at, channel.ChangeEffective(3, "p", at, 0))
}

// Each list of names is the Strings of the values in order, and its parser
// reads each back.
func TestNames(t *testing.T) {
	t.Parallel()
	for i, n := range channel.NodeOSChannelNames() {
		c, err := channel.ParseNodeOSChannel(n)
		require.NoError(t, err)
		assert.Equal(t, channel.NodeOSNone+channel.NodeOSChannel(i), c)
	}
	assert.Equal(t, []string{"None", "Unmanaged", "SecurityPatch", "NodeImage"}, channel.NodeOSChannelNames())
	for i, n := range channel.ClusterChannelNames() {
		c, err := channel.ParseClusterChannel(n)
		require.NoError(t, err)
		assert.Equal(t, channel.ClusterChannel(i), c)
	}
	assert.Len(t, channel.ClusterChannelNames(), int(channel.ClusterNodeImage)+1)
	for i, n := range channel.SeverityNames() {
		s, err := channel.ParseSeverity(n)
		require.NoError(t, err)
		assert.Equal(t, channel.Severity(i), s)
	}
	assert.Len(t, channel.SeverityNames(), channel.NumSeverities)
	for i, n := range channel.OSNames() {
		o, err := channel.ParseOS(n)
		require.NoError(t, err)
		assert.Equal(t, channel.OS(i), o)
	}
	assert.Equal(t, []string{"Linux", "Windows"}, channel.OSNames())
	channel.OSNames()[0] = "x"
	assert.Equal(t, "Linux", channel.OSNames()[0], "a copy")
}
