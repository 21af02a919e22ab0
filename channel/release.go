package channel

import (
	"math/bits"
	"sort"
	"time"
)

// Release is one build of content: a node image, a SecurityPatch snapshot, a
// Windows image or a Kubernetes patch version. It always holds
// Cut <= Built <= Published.
type Release struct {
	Version string // e.g. "202405.03.0", "20250602T000000Z", "20348.6.240612", "1.31.4"
	OS      OS     // the OS whose advisories the release carries
	// Cut is the content cut: the release contains exactly the advisories of
	// its OS published at or before Cut. Kernel advisories are published when
	// their kernel is released (see [Upstream.Kernels]), so a build contains a
	// kernel fix exactly when it is cut after that kernel's release.
	Cut       time.Time
	Built     time.Time // build start; for a SecurityPatch snapshot its golden timestamp
	Published time.Time // publication, in the first region
	// NewKernel reports that the release carries a kernel newer than the
	// previous release of the same stream: a kernel was released after the
	// previous release's cut and at or before this one's. A SecurityPatch
	// snapshot with a new kernel needs a reimage.
	NewKernel bool
}

// Contains reports whether the release contains advisory a: a is for the
// release's OS and was published at or before the cut.
func (r Release) Contains(a Advisory) bool {
	return a.OS == r.OS && !a.Published.After(r.Cut)
}

// DefaultRollout is the default regional rollout spread: AKS takes up to two
// weeks to roll a release out to all regions (reference/aks.md section 1.1,
// "approximately two weeks following safe deployment practices").
const DefaultRollout = 14 * 24 * time.Hour

// Stream is a named sequence of releases, ordered by Built, with a
// deterministic availability per region.
type Stream struct {
	Name     string
	Releases []Release // ordered by Built (ties keep their order)
	// Seed and Name key the regional delays.
	Seed uint64
	// Rollout is the regional rollout spread: release i reaches a region at
	// Published plus a delay uniform in [0, Rollout). Zero: every region at
	// Published.
	Rollout time.Duration
}

// Available returns when release i reaches region: its Published instant
// plus a delay uniform in [0, Rollout), drawn by hashing (Seed, Name, i,
// region), so the same query always gives the same answer and different
// streams, releases and regions are independent. It is O(len(Name) +
// len(region)) and does not allocate. It panics if i is out of range.
func (s *Stream) Available(i int, region string) time.Time {
	r := s.Releases[i]
	if s.Rollout <= 0 {
		return r.Published
	}
	h := mix(s.Seed^fnv(s.Name), uint64(i), fnv(region))
	return r.Published.Add(time.Duration(uniform(h, uint64(s.Rollout))))
}

// Latest returns the newest release (the highest index) available in region
// at t; ok is false if none is. A later release may reach a region before an
// earlier one; Latest then never returns the earlier one again, because
// availability is fixed per (release, region). It costs O(log n) plus the
// number of releases published within Rollout before t, and does not
// allocate.
func (s *Stream) Latest(t time.Time, region string) (i int, ok bool) {
	// Releases built after t cannot be published, hence not available.
	n := sort.Search(len(s.Releases), func(j int) bool { return s.Releases[j].Built.After(t) })
	for j := n - 1; j >= 0; j-- {
		if !s.Available(j, region).After(t) {
			return j, true
		}
	}
	return 0, false
}

// Nightly install timing of the Unmanaged channel: Ubuntu's stock
// apt-daily-upgrade.timer runs at 06:00 with RandomizedDelaySec=60m, and AKS
// nodes run UTC (reference/aks.md section 1.2).
const (
	NightlyHour   = 6
	NightlySpread = 60 * time.Minute
)

// NightlyInstall returns when node runs its nightly unattended upgrade on the
// UTC date of day under the Unmanaged channel: 06:00 UTC plus a delay
// uniform in [0, 60 min), drawn by hashing (seed, node, date). It is
// deterministic and does not allocate.
func NightlyInstall(seed uint64, node string, day time.Time) time.Time {
	const daySec = 24 * 60 * 60
	u := day.Unix()
	midnight := u - ((u%daySec)+daySec)%daySec // floor to the UTC date
	base := midnight + NightlyHour*60*60
	h := mix(seed^nightlyKey, fnv(node), uint64(base))
	return time.Unix(base, int64(uniform(h, uint64(NightlySpread)))).UTC()
}

// nightlyKey keys the nightly install delays.
var nightlyKey = fnv("unmanaged-nightly")

// fnv is 64-bit FNV-1a of s, without allocating.
func fnv(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// mix hashes three words into one through SplitMix64 rounds.
func mix(a, b, c uint64) uint64 {
	return splitmix64(splitmix64(splitmix64(a)^b) ^ c)
}

// splitmix64 is the finaliser of SplitMix64, a bijective mixer.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// uniform maps a uniform 64-bit word to [0, n).
func uniform(h, n uint64) uint64 {
	hi, _ := bits.Mul64(h, n)
	return hi
}
