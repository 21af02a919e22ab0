package channel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/patchsim/patchsim/internal/rfc5545"
	"github.com/patchsim/patchsim/sim"
)

// Names of the streams Generate builds; they key the regional delays of
// [Stream.Available] and the random streams of each component.
const (
	NodeImagesStream      = "node-images"
	SecurityPatchesStream = "security-patches"
	WindowsImagesStream   = "windows-images"
	KubernetesStream      = "kubernetes"
)

// Upstream is everything that exists upstream in one replication. Generate
// it once and share it across every variant (common random numbers).
type Upstream struct {
	Advisories []Advisory // sorted by Published, then ID
	// Kernels are the Linux kernel release instants, sorted. A replayed
	// kernel is released when it first appears in a replayed node image or
	// SecurityPatch snapshot.
	Kernels         []time.Time
	NodeImages      Stream // Linux node images
	SecurityPatches Stream // SecurityPatch snapshots
	WindowsImages   Stream // Windows images, monthly
	// Kubernetes holds Kubernetes patch versions, cut at their build. They
	// carry no OS content of their own: an upgrade's node content is the
	// newest node image it reimages to ([Policy.KubernetesUpgrades]).
	Kubernetes Stream
}

// Generate draws the upstream of one replication over [from, to): advisories
// published and releases anchored in the interval. It is deterministic in
// (cfg, seed, from, to), and each component draws from its own named stream
// (sim.Stream), so changing one cadence leaves every other component's draws
// alone. Kernel advisories are published at kernel release instants and
// Windows advisories at Windows image anchors (Patch Tuesdays), so those
// advisories follow their cadences. A release's NewKernel compares it with
// the previous release of its stream, or with the state at from for the
// first. It returns the errors of cfg.Validate, or an error if to is not
// after from.
func Generate(cfg Config, seed uint64, from, to time.Time) (*Upstream, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if !from.Before(to) {
		return nil, fmt.Errorf("channel: interval [%s, %s): to must be after from", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	for _, t := range []time.Time{from, to} {
		if err := rfc5545.CheckStart(t); err != nil {
			return nil, fmt.Errorf("channel: interval [%s, %s): %v", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
		}
	}
	from, to = from.UTC(), to.UTC()
	u := &Upstream{Kernels: anchors(cfg.Kernels, sim.Stream(seed, "channel/kernels"), from, to)}

	for s := range NumSeverities {
		sev := Severity(s)
		r := sim.Stream(seed, "channel/advisories/userspace/"+sev.String())
		mean := cfg.Userspace[s].MeanGap()
		if mean <= 0 {
			continue
		}
		for t, n := from, 1; ; n++ {
			t = t.Add(time.Duration(r.ExpFloat64() * float64(mean)))
			if !t.Before(to) {
				break
			}
			u.Advisories = append(u.Advisories, Advisory{ID: "LU-" + sev.String() + "-" + zeroPad(n, 5), Published: t, Severity: sev, Class: Userspace, OS: OSLinux})
		}
	}
	kr := sim.Stream(seed, "channel/advisories/kernel")
	for k, t := range u.Kernels {
		u.Advisories = appendFamily(u.Advisories, kr, cfg.KernelFamily, "LK-"+zeroPad(k+1, 4), t, OSLinux)
	}

	// A replayed release may carry a kernel released before from.
	kernels := kernelLine{at: u.Kernels}
	if cfg.Kernels.Kind == Trace {
		kernels.at, kernels.named = nil, map[string]time.Time{}
		for _, e := range cfg.Kernels.Trace {
			kernels.named[e.Version] = e.Built.UTC()
			kernels.at = append(kernels.at, e.Built.UTC())
		}
	}
	u.NodeImages = buildStream(NodeImagesStream, cfg.NodeImages, seed, from, to, OSLinux, &kernels, nil)
	u.SecurityPatches = buildStream(SecurityPatchesStream, cfg.SecurityPatches, seed, from, to, OSLinux, &kernels, nil)
	var patchTuesdays []time.Time
	u.WindowsImages = buildStream(WindowsImagesStream, cfg.WindowsImages, seed, from, to, OSWindows, nil, &patchTuesdays)
	wr := sim.Stream(seed, "channel/advisories/windows")
	for m, t := range patchTuesdays {
		u.Advisories = appendFamily(u.Advisories, wr, cfg.WindowsMonthly, "W-"+zeroPad(m+1, 4), t, OSWindows)
	}
	u.Kubernetes = buildStream(KubernetesStream, cfg.Kubernetes, seed, from, to, OSLinux, nil, nil)
	if cfg.Advisories != nil {
		u.Advisories = slices.Clone(cfg.Advisories)
	}
	sortAdvisories(u.Advisories)
	expedite(&u.NodeImages, cfg.NodeImages, seed, from, to, u.Advisories, &kernels)
	expedite(&u.SecurityPatches, cfg.SecurityPatches, seed, from, to, u.Advisories, &kernels)

	setVersions(u, cfg.KubernetesMinor)
	return u, nil
}

// appendFamily appends a Poisson number of advisories per severity, all
// published at t with class Kernel.
func appendFamily(as []Advisory, r *rand.Rand, means [NumSeverities]float64, prefix string, t time.Time, os OS) []Advisory {
	n := 0
	for s := range NumSeverities {
		for range poisson(r, means[s]) {
			n++
			as = append(as, Advisory{ID: prefix + "-" + strconv.Itoa(n), Published: t, Severity: Severity(s), Class: Kernel, OS: os})
		}
	}
	return as
}

// zeroPad returns n (>= 0) in decimal with leading zeros to width digits,
// as fmt's %0*d does, without fmt's cost: Generate names every advisory.
func zeroPad(n, width int) string {
	d := strconv.Itoa(n)
	if len(d) >= width {
		return d
	}
	return strings.Repeat("0", width-len(d)) + d
}

// poisson draws a Poisson count of the given mean (Knuth's product method,
// in chunks so large means do not underflow).
func poisson(r *rand.Rand, mean float64) int {
	n := 0
	for mean > 0 {
		m := min(mean, 30)
		mean -= m
		limit, p := math.Exp(-m), r.Float64()
		for p > limit {
			n++
			p *= r.Float64()
		}
	}
	return n
}

// anchors returns the instants of c in [from, to); a Trace gives its builds.
func anchors(c Cadence, r *rand.Rand, from, to time.Time) []time.Time {
	if c.Kind != Trace {
		return c.instants(r, from, to)
	}
	var out []time.Time
	for _, e := range c.Trace {
		if !e.Built.Before(from) && e.Built.Before(to) {
			out = append(out, e.Built.UTC())
		}
	}
	return out
}

// kernelLine is the kernel history of one replication: the release
// instants and, for a replayed history, each kernel's instant by name.
type kernelLine struct {
	at    []time.Time
	named map[string]time.Time
}

// newest returns the newest kernel released at or before t; ok is false if
// none was.
func (k *kernelLine) newest(t time.Time) (time.Time, bool) {
	j := sort.Search(len(k.at), func(i int) bool { return k.at[i].After(t) })
	if j == 0 {
		return time.Time{}, false
	}
	return k.at[j-1], true
}

// buildStream draws the releases of one stream. Linux streams pass the
// kernel line to set KernelCut and NewKernel: a trace entry that names its
// kernel carries that kernel (and an entry that names none, the previous
// entry's), and is new exactly when it names another kernel than the entry
// before it (in the trace, even before from); other releases carry the
// newest kernel released by their cut, new when that kernel is not the
// previous release's.
// Windows images always carry a new OS build. If anchorsOut is not nil it
// receives the anchors.
func buildStream(name string, cfg StreamConfig, seed uint64, from, to time.Time, os OS, kernels *kernelLine, anchorsOut *[]time.Time) Stream {
	s := Stream{Name: name, Seed: seed, Rollout: cfg.Rollout}
	dr := sim.Stream(seed, "channel/"+name+"/delays")
	var named []string // the kernel each trace release carries by name, "" if none
	var renamed []bool // whether the trace names a kernel other than the previous entry's
	if cfg.Cadence.Kind == Trace {
		running := ""
		for _, e := range cfg.Cadence.Trace {
			changed := e.Kernel != "" && e.Kernel != running
			if e.Kernel != "" {
				running = e.Kernel
			}
			if e.Built.Before(from) || !e.Built.Before(to) {
				continue
			}
			rel := Release{Version: e.Version, OS: os, Cut: e.Built.Add(-cfg.CutLag).UTC(), Built: e.Built.UTC(), Published: e.Published.UTC()}
			if e.Published.IsZero() {
				rel.Published = rel.Built.Add(cfg.Publish.draw(dr))
			}
			s.Releases = append(s.Releases, rel)
			named = append(named, running)
			renamed = append(renamed, changed)
			if anchorsOut != nil {
				*anchorsOut = append(*anchorsOut, rel.Built)
			}
		}
	} else {
		as := cfg.Cadence.instants(sim.Stream(seed, "channel/"+name+"/cadence"), from, to)
		if anchorsOut != nil {
			*anchorsOut = as
		}
		if len(as) > 0 {
			s.Releases = make([]Release, 0, len(as))
		}
		for _, a := range as {
			built := a.Add(cfg.Build.draw(dr))
			s.Releases = append(s.Releases, Release{OS: os, Cut: a.Add(-cfg.CutLag), Built: built, Published: built.Add(cfg.Publish.draw(dr))})
		}
		slices.SortStableFunc(s.Releases, func(a, b Release) int { return a.Built.Compare(b.Built) })
	}
	if os == OSWindows {
		for i := range s.Releases {
			s.Releases[i].NewKernel = true
		}
	} else if kernels != nil && (len(kernels.at) > 0 || len(kernels.named) > 0) {
		prev, _ := kernels.newest(from)
		traceKernels := slices.ContainsFunc(cfg.Cadence.Trace, func(e TraceEntry) bool { return e.Kernel != "" })
		for i := range s.Releases {
			r := &s.Releases[i]
			k, ok := time.Time{}, false
			if i < len(named) && named[i] != "" {
				k, ok = kernels.named[named[i]]
			}
			if !ok {
				k, _ = kernels.newest(r.Cut)
			}
			r.KernelCut = k
			r.NewKernel = !k.Equal(prev)
			if traceKernels {
				// The trace says itself which entries change the kernel.
				r.NewKernel = renamed[i]
			}
			prev = k
		}
	}
	s.seal()
	return s
}

// expedite adds to s the accelerated releases of cfg.Expedite for the
// Linux advisories as, each drawn from the stream's own named random
// stream in the advisories' order, and sets their kernels as buildStream
// does for generated releases; NewKernel then compares every release with
// the one before it, expedited or not.
func expedite(s *Stream, cfg StreamConfig, seed uint64, from, to time.Time, as []Advisory, kernels *kernelLine) {
	e := cfg.Expedite
	if e == nil || e.Probability <= 0 {
		return
	}
	r := sim.Stream(seed, "channel/"+s.Name+"/expedite")
	added := false
	for _, a := range as {
		if a.OS != OSLinux || a.Severity > e.Severity {
			continue
		}
		if r.Float64() >= e.Probability {
			continue
		}
		t := a.Published.Add(e.Delay.draw(r)).UTC()
		if t.Before(from) || !t.Before(to) {
			continue
		}
		rel := Release{OS: OSLinux, Cut: t, Built: t, Published: t, Expedited: true}
		if k, ok := kernels.newest(t); ok {
			rel.KernelCut = k
		}
		s.Releases = append(s.Releases, rel)
		added = true
	}
	if !added {
		return
	}
	slices.SortStableFunc(s.Releases, func(a, b Release) int { return a.Built.Compare(b.Built) })
	// Each release's kernel is now compared with the release before it,
	// expedited or not.
	prev, _ := kernels.newest(from)
	for i := range s.Releases {
		r := &s.Releases[i]
		r.NewKernel = !r.KernelCut.IsZero() && !r.KernelCut.Equal(prev)
		prev = r.KernelCut
	}
	s.seal()
}

// setVersions names generated releases in each stream's own format; trace
// releases keep their versions.
func setVersions(u *Upstream, minor string) {
	perDay := map[string]int{}
	for i := range u.NodeImages.Releases {
		r := &u.NodeImages.Releases[i]
		if r.Version == "" {
			// YYYYMM.DD.N, N counting rebuilds of the day (reference/aks.md
			// section 5).
			d := r.Built.Format("200601.02")
			r.Version = d + "." + strconv.Itoa(perDay[d])
			perDay[d]++
		}
	}
	for i := range u.SecurityPatches.Releases {
		r := &u.SecurityPatches.Releases[i]
		if r.Version == "" {
			r.Version = r.Built.Format("20060102T150405Z")
		}
	}
	for i := range u.WindowsImages.Releases {
		r := &u.WindowsImages.Releases[i]
		if r.Version == "" {
			// <OS build>.<UBR>.<YYMMDD> (reference/aks.md section 5) for
			// Windows Server 2022; the UBR here is the release's index.
			r.Version = "20348." + strconv.Itoa(i+1) + "." + r.Built.Format("060102")
		}
	}
	for i := range u.Kubernetes.Releases {
		r := &u.Kubernetes.Releases[i]
		if r.Version == "" {
			r.Version = strconv.Itoa(i + 1)
			if minor != "" {
				r.Version = minor + "." + r.Version
			}
		}
	}
}
