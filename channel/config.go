package channel

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Rate is a mean number of events per year of 365 days.
type Rate float64

// day is 24 hours; the model's calendars are UTC.
const day = 24 * time.Hour

// MeanGap returns the mean time between events, or 0 if r is not positive.
func (r Rate) MeanGap() time.Duration {
	if r <= 0 {
		return 0
	}
	return time.Duration(float64(365*day) / float64(r))
}

// StreamConfig describes one release stream. Each cadence instant A is a
// release's anchor: its Cut is A - CutLag, its Built A + a Build delay, its
// Published Built + a Publish delay. A Trace cadence gives Built and
// Published directly (Publish is drawn only where the trace has no date).
type StreamConfig struct {
	Cadence Cadence
	// CutLag is how long before its anchor a release's content was cut.
	// Zero: the release contains everything published up to its anchor.
	CutLag time.Duration
	// Build is the delay from anchor to build start. Zero: built at the
	// anchor.
	Build Delay
	// Publish is the delay from build to publication in the first region.
	// Zero: published when built.
	Publish Delay
	// Expedite, when set, adds accelerated releases for urgent advisories
	// (see [Expedite]). Nil: none.
	Expedite *Expedite
	// Rollout is the regional rollout spread: the last region of the
	// safe-deployment order gets a release up to Rollout after it starts
	// rolling out (see [Stream.Available]). Zero: every region at
	// publication.
	Rollout time.Duration
}

func (s StreamConfig) validate(path string) []error {
	errs := s.Cadence.validate(path + ".Cadence")
	if s.CutLag < 0 {
		errs = append(errs, fmt.Errorf("channel: %s.CutLag: %v: must not be negative", path, s.CutLag))
	}
	errs = append(errs, s.Build.validate(path+".Build")...)
	errs = append(errs, s.Publish.validate(path+".Publish")...)
	if s.Rollout < 0 {
		errs = append(errs, fmt.Errorf("channel: %s.Rollout: %v: must not be negative", path, s.Rollout))
	}
	if e := s.Expedite; e != nil {
		if e.Severity >= NumSeverities {
			errs = append(errs, fmt.Errorf("channel: %s.Expedite.Severity: %v: want one of %s", path, e.Severity, strings.Join(severityNames[:], ", ")))
		}
		if !(e.Probability >= 0 && e.Probability <= 1) {
			errs = append(errs, fmt.Errorf("channel: %s.Expedite.Probability: %v: want a share in [0, 1]", path, e.Probability))
		}
		errs = append(errs, e.Delay.validate(path+".Expedite.Delay")...)
	}
	return errs
}

// Expedite is an accelerated release path for urgent fixes. AKS documents
// accelerated rollouts for CVEs "on a case by case basis" (reference/aks.md
// section 1.1) and publishes neither which, nor how fast, nor how often:
// every field is an ASSUMPTION, and the path is off unless a scenario
// switches it on. A replayed history already holds the real releases, so
// leave it off there.
type Expedite struct {
	// Severity is the least severe severity expedited: an advisory of this
	// severity or a more severe one may get its own release.
	Severity Severity
	// Probability is the share of those advisories that do.
	Probability float64
	// Delay is the time from the advisory's publication to the expedited
	// release's build, which is also its cut and its publication; it then
	// rolls out like the stream's other releases, never before an earlier
	// one.
	Delay Delay
}

// Config holds every parameter of the advisory process and of every release
// cadence. The zero value is valid and generates nothing. [DefaultConfig]
// returns calibrated defaults.
type Config struct {
	// Userspace is the rate of Linux userspace advisories, per severity
	// (indexed by [Severity]); each severity is its own Poisson process.
	// Zero: none.
	Userspace [NumSeverities]Rate
	// Kernels is the cadence of new Linux kernel releases (linux-azure).
	// Every kernel release publishes a family of kernel advisories at its
	// instant. Off: no kernel releases, no kernel advisories, no NewKernel.
	Kernels Cadence
	// KernelFamily is the mean number of kernel advisories per kernel
	// release, per severity (each a Poisson count). Zero: none.
	KernelFamily [NumSeverities]float64
	// WindowsMonthly is the mean number of Windows advisories published at
	// each Windows image anchor (Patch Tuesday), per severity (each a
	// Poisson count). Zero: none.
	WindowsMonthly [NumSeverities]float64

	NodeImages      StreamConfig // Linux node images (AKSUbuntu 22.04)
	SecurityPatches StreamConfig // SecurityPatch snapshots; Built is the golden timestamp
	WindowsImages   StreamConfig // Windows images; anchors are Patch Tuesdays
	Kubernetes      StreamConfig // Kubernetes patch versions (cluster channel)
	// Advisories, when not nil, replace the generated advisories (a trace,
	// as ReadAdvisories reads it): the releases are drawn as before, and
	// the expedited releases follow these advisories. Nil: generated.
	Advisories []Advisory
	// KubernetesMinor is the minor version whose patch versions the
	// Kubernetes stream carries ("1.31" gives 1.31.1, 1.31.2, ...). Empty:
	// versions are the bare patch numbers.
	KubernetesMinor string
}

var minorPattern = regexp.MustCompile(`^\d+\.\d+$`)

// Validate reports every problem of c at once (errors.Join), each naming its
// field, the value and what is allowed. It never modifies c.
func (c Config) Validate() error {
	var errs []error
	for s := range NumSeverities {
		if !(c.Userspace[s] >= 0) || c.Userspace[s] > 1e6 {
			errs = append(errs, fmt.Errorf("channel: Userspace[%s]: %v: want a rate in [0, 1e6] per year", Severity(s), c.Userspace[s]))
		}
		if !(c.KernelFamily[s] >= 0) || c.KernelFamily[s] > 1000 {
			errs = append(errs, fmt.Errorf("channel: KernelFamily[%s]: %v: want a mean in [0, 1000]", Severity(s), c.KernelFamily[s]))
		}
		if !(c.WindowsMonthly[s] >= 0) || c.WindowsMonthly[s] > 1000 {
			errs = append(errs, fmt.Errorf("channel: WindowsMonthly[%s]: %v: want a mean in [0, 1000]", Severity(s), c.WindowsMonthly[s]))
		}
	}
	errs = append(errs, c.Kernels.validate("Kernels")...)
	errs = append(errs, c.NodeImages.validate("NodeImages")...)
	errs = append(errs, c.SecurityPatches.validate("SecurityPatches")...)
	errs = append(errs, c.WindowsImages.validate("WindowsImages")...)
	errs = append(errs, c.Kubernetes.validate("Kubernetes")...)
	if c.KubernetesMinor != "" && !minorPattern.MatchString(c.KubernetesMinor) {
		errs = append(errs, fmt.Errorf("channel: KubernetesMinor: %q: want MAJOR.MINOR such as 1.31, or empty", c.KubernetesMinor))
	}
	return errors.Join(errs...)
}

// DefaultConfig returns defaults calibrated on the AKS and Ubuntu history in
// data/ and reference/aks.md; each value names its source or is labelled an
// assumption.
func DefaultConfig() Config {
	kernels := Cadence{Kind: Periodic, Period: 19 * day, Jitter: 7 * day}
	usn := defaultUSN()
	var family [NumSeverities]float64
	for s, r := range usn.Kernel {
		family[s] = float64(r) * float64(kernels.Period) / float64(365*day)
	}
	return Config{
		// Ubuntu 22.04 notices of 2024 that an AKS node carries, counted
		// in the shipped sample (data/ubuntu-usn-jammy-2024-podcast.csv)
		// by their highest Ubuntu priority and scaled to a year by the
		// sample's coverage: USNRates(USNCoverage, true), with the package
		// filter NodePackages; both are labelled assumptions. That gives
		// about 2 high, 71 medium and 9 low userspace notices a year and no
		// critical one: no Jammy CVE of the sample has priority critical.
		Userspace: usn.Userspace,
		// A new linux-azure kernel roughly every 2-3 weeks: 17 distinct
		// kernels reached AKSUbuntu 22.04 images in 2024 and 20 in 2025
		// (reference/aks.md section 6.2), ~19 a year. The ±3.5 day spread
		// around the 19-day period is an ASSUMPTION.
		Kernels: kernels,
		// Kernel notices (Azure and generic flavours) of the same sample,
		// about 34 high and 24 medium a year, shared out over the kernel
		// releases of a year: ~1.8 high and ~1.2 medium per release.
		KernelFamily: family,
		// ASSUMPTION: one Patch Tuesday fixes about one critical, four
		// high (Important), one medium item that matter to a node.
		WindowsMonthly: [NumSeverities]float64{Critical: 1, High: 4, Medium: 1},

		// Linux node images (data/aks-node-image-releases-2024.csv,
		// reference/aks.md section 6.1): 40-41 a year, publication gaps
		// median 8 days (2024; 7 in 2025), mean 8.3-8.9, range 2-21. An
		// Erlang(2) renewal with a 3-day minimum and an 8.8-day mean
		// reproduces that spread (the calibration test checks it). Images
		// freeze snapshot.ubuntu.com at their build timestamp
		// (reference/aks.md section 1.2), so CutLag is zero: USN-6742-2
		// (published 2024-04-23) first appears in 202405.03.0, the first
		// image built after it (section 6.2). Build-to-publish 1-2 days
		// (section 6.1: median 1 day in 2024, 2 in 2025).
		NodeImages: StreamConfig{
			Cadence: Cadence{Kind: Renewal, MinGap: 3 * day, MeanGap: 8*day + 19*time.Hour + 12*time.Minute, Shape: 2},
			Publish: Delay{Min: day, Max: 2 * day},
			Rollout: DefaultRollout,
		},
		// SecurityPatch snapshots (data/aks-securitypatch-snapshots.csv,
		// reference/aks.md section 1.3): 35 in 2025, golden timestamps at
		// midnight UTC, gaps median 8 days (5 to 25), mean 9.85. A Poisson
		// process with a 4-day dead time and a 9.85-day mean gap matches
		// the median, minimum and maximum. Notes followed the golden
		// timestamp by a median 1 day.
		// Regional rollout: ASSUMPTION. AKS publishes no rollout figure
		// for SecurityPatch snapshots; they are AKS releases like node
		// images, so they get the same documented bound of up to two
		// weeks (reference/aks.md section 1.1). The blog's "within 5
		// days" is a claim to check the model against
		// (docs/validation.md), not a value to fit; a scenario's
		// securityPatchRollout sets it.
		SecurityPatches: StreamConfig{
			Cadence: Cadence{Kind: Renewal, MinGap: 4 * day, MeanGap: 9*day + 20*time.Hour + 24*time.Minute, Shape: 1, Truncate: day},
			Publish: Delay{Max: 2 * day},
			Rollout: DefaultRollout,
		},
		// Windows images: monthly, YYMMDD suffix usually 1-7 days after
		// Patch Tuesday (reference/aks.md section 1.5). ASSUMPTION: Patch
		// Tuesday releases at 18:00 UTC (10:00 Pacific standard time), and
		// publication follows the build by 1-2 days as for Linux.
		WindowsImages: StreamConfig{
			Cadence: Cadence{Kind: Recurrence, Rule: "FREQ=MONTHLY;BYDAY=+2TU;BYHOUR=18;BYMINUTE=0;BYSECOND=0"},
			Build:   Delay{Min: day, Max: 7 * day},
			Publish: Delay{Min: day, Max: 2 * day},
			Rollout: DefaultRollout,
		},
		// Kubernetes patch versions about monthly (DESIGN.md section 3.2);
		// the ±7 day spread is an ASSUMPTION. AKS releases take up to two
		// weeks to reach every region (reference/aks.md section 3.1).
		Kubernetes: StreamConfig{
			Cadence: Cadence{Kind: Periodic, Period: 30 * day, Jitter: 14 * day},
			Rollout: DefaultRollout,
		},
		KubernetesMinor: "1.31",
	}
}

// defaultUSN is the 2024 sample counted with the default assumptions.
func defaultUSN() SampleRates {
	r, err := USNRates(USNCoverage, true)
	if err != nil {
		panic("channel: the embedded USN sample does not read: " + err.Error())
	}
	return r
}
