package channel

import (
	"math/bits"
	"sort"
	"time"

	"github.com/patchsim/patchsim/sim"
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
	// KernelCut is the release instant of the Linux kernel the release
	// carries (see [Upstream.Kernels]): a node booted on it has exactly the
	// kernel advisories published at or before KernelCut. Zero: unknown
	// (Windows builds, Kubernetes versions, releases built by hand): the
	// kernel content is taken as Cut, and whether the kernel is newer than
	// a node's is read from [Upstream.Kernels].
	KernelCut time.Time
	// NewKernel reports that the release carries a kernel other than the
	// previous release of the same stream. A SecurityPatch snapshot with a
	// new kernel needs a reimage.
	NewKernel bool
	// Expedited marks an accelerated release for an urgent advisory
	// (StreamConfig.Expedite).
	Expedited bool
}

// Kernel returns the release's kernel cut: KernelCut, or Cut when that is
// zero.
func (r Release) Kernel() time.Time {
	if r.KernelCut.IsZero() {
		return r.Cut
	}
	return r.KernelCut
}

// Contains reports whether the release contains advisory a: a is for the
// release's OS and was published at or before the cut.
func (r Release) Contains(a Advisory) bool {
	return a.OS == r.OS && !a.Published.After(r.Cut)
}

// DefaultRollout is the default regional rollout spread: AKS takes up to two
// weeks to roll a release out to all regions (reference/aks.md section 1.1,
// "approximately two weeks following safe deployment practices";
// node-images.md: "it can take up to two weeks for the updates to be rolled
// out across all regions").
const DefaultRollout = 14 * 24 * time.Hour

// Stream is a named sequence of releases, ordered by Built, with a
// deterministic availability per region.
type Stream struct {
	Name     string
	Releases []Release // ordered by Built (ties keep their order)
	// Seed keys each region's place in the rollout order.
	Seed uint64
	// Rollout is the regional rollout spread: the last region gets a
	// release up to Rollout after its publication (see [Stream.Available]).
	// Zero: every region at publication.
	Rollout time.Duration

	// front[i] is the latest publication among releases 0..i; Generate
	// fills it, a Stream built by hand computes it on each query.
	front []time.Time
}

// Wave returns region's place in the safe-deployment order of the
// replication seeded by seed: a fraction in [0, 1), the same for every
// stream and every release (ASSUMPTION: AKS deploys region by region in a
// fixed order, reference/aks.md section 1.1, and does not publish the
// order, so each region's place is drawn uniformly per replication by
// hashing (seed, region)).
func Wave(seed uint64, region string) float64 {
	return float64(sim.Mix(seed^waveKey, sim.Hash(region), 0)>>11) / (1 << 53)
}

// waveKey keys the regional waves.
var waveKey = sim.Hash("rollout-wave")

// Available returns when release i reaches region. Releases roll out in
// waves: region's wave (its place in the order, [Wave]) is reached
// Wave(Seed, region) * Rollout after the release starts rolling out, and a
// release starts rolling out at its publication or, if an earlier release
// of the stream was published later, at that publication: a later release
// never reaches a region before an earlier one. So availability is
// non-decreasing in i for every region. It is deterministic, O(1) on a
// generated stream (O(i) on one built by hand) and does not allocate. It
// panics if i is out of range.
func (s *Stream) Available(i int, region string) time.Time {
	start := s.start(i)
	if s.Rollout <= 0 {
		return start
	}
	return start.Add(time.Duration(Wave(s.Seed, region) * float64(s.Rollout)))
}

// start returns the latest publication among releases 0..i.
func (s *Stream) start(i int) time.Time {
	if len(s.front) == len(s.Releases) {
		return s.front[i]
	}
	t := s.Releases[i].Published
	for j := range i {
		if p := s.Releases[j].Published; p.After(t) {
			t = p
		}
	}
	return t
}

// seal records each release's rollout start; call it after Releases is final.
func (s *Stream) seal() {
	s.front = make([]time.Time, len(s.Releases))
	for i, r := range s.Releases {
		s.front[i] = r.Published
		if i > 0 && s.front[i-1].After(r.Published) {
			s.front[i] = s.front[i-1]
		}
	}
}

// Latest returns the newest release (the highest index) available in region
// at t; ok is false if none is. Availability is non-decreasing in the
// index, so this is a binary search: O(log n) on a generated stream, without
// allocating.
func (s *Stream) Latest(t time.Time, region string) (i int, ok bool) {
	n := sort.Search(len(s.Releases), func(j int) bool { return s.Available(j, region).After(t) })
	return n - 1, n > 0
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
	u := day.Unix()
	date := (u - ((u%daySec)+daySec)%daySec) / daySec // floor to the UTC date
	return time.Unix(0, NewNightly(seed, node).On(date)).UTC()
}

// Nightly is one node's nightly install schedule: [NightlyInstall] with the
// node's name hashed once, for callers that ask for many nights of one
// node.
type Nightly struct{ key sim.Mixer }

// NewNightly returns the schedule of node under seed.
func NewNightly(seed uint64, node string) Nightly {
	return Nightly{key: sim.NewMixer(seed^nightlyKey, sim.Hash(node))}
}

// On returns the install on the UTC date date, counted in days since
// 1970-01-01, as nanoseconds since the Unix epoch. It is the instant
// NightlyInstall gives for that date.
func (n Nightly) On(date int64) int64 {
	base := date*daySec + NightlyHour*60*60
	h := n.key.Mix(uint64(base))
	return base*int64(time.Second) + int64(uniform(h, uint64(NightlySpread)))
}

const daySec = 24 * 60 * 60

// nightlyKey keys the nightly install delays.
var nightlyKey = sim.Hash("unmanaged-nightly")

// uniform maps a uniform 64-bit word to [0, n).
func uniform(h, n uint64) uint64 {
	hi, _ := bits.Mul64(h, n)
	return hi
}
