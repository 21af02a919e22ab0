// Autoscaled pools: the cluster autoscaler's scale-up and scale-down, node
// lifetimes, and what a node created during the run boots from (aks.md
// section 11).

package fleet

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/patchsim/patchsim/sim"
)

// Autoscale lets the cluster autoscaler size a pool between Min and Max
// (agentPoolProfiles[].enableAutoScaling, minCount, maxCount) after the
// demand of Profile. Pool.Count is the pool's size at Start, within
// [Min, Max]. The durations' zero values take the AKS autoscaler profile's
// defaults (aks.md section 11.1).
type Autoscale struct {
	// Min and Max bound the pool's size: 1 <= Min <= Max <= MaxPoolNodes.
	// (AKS allows a user pool to scale to 0; the model keeps at least one
	// node.)
	Min, Max int
	// Profile is the demand, in nodes, over the week.
	Profile Profile
	// ScaleDownUnneeded is how long a node must be unneeded before it is
	// removed (scale-down-unneeded-time); zero means 10 minutes.
	ScaleDownUnneeded time.Duration
	// ScaleDownDelayAfterAdd is how long after a scale-up no node is
	// removed (scale-down-delay-after-add); zero means 10 minutes.
	ScaleDownDelayAfterAdd time.Duration
	// Remove is which unneeded nodes go first (ASSUMPTION, aks.md section
	// 11.2); zero is RemoveNewest.
	Remove RemovalOrder
	// Lifetime, when not zero, is how long a node lives before it is
	// evicted or expires (spot eviction, Karpenter-style expiry; an
	// ASSUMPTION, a parameter): the autoscaler then adds a replacement if
	// the demand still needs one. A node busy in an operation (drain,
	// reimage, reboot, quarantine) goes when it is done. Nodes present at
	// Start draw a whole lifetime from Start. Min is at least
	// MinNodeLifetime.
	Lifetime Dist
}

// Profile is a pool's demand in nodes over a week: Peak nodes during the
// peak hours [Start, End) (time of day, UTC) on Days, Base nodes otherwise.
// The autoscaler keeps the pool at the demand clamped to [Min, Max].
type Profile struct {
	Base, Peak int // nodes demanded off-peak and at peak; >= 0
	// Days are the peak days; empty means Monday to Friday.
	Days []time.Weekday
	// Start and End bound the peak hours, 0 <= Start < End <= 24 h: a
	// zero End means 18:00 UTC, and a zero Start with it 08:00 (business
	// hours, ASSUMPTION); a zero Start with an End is midnight.
	Start, End time.Duration
}

// RemovalOrder is which unneeded node the autoscaler removes first.
type RemovalOrder uint8

const (
	// RemoveNewest removes the most recently created node first: the
	// autoscaler removes nodes below its utilization threshold, "most of
	// the time ... the newest created VMs" (aks.md section 11.2).
	RemoveNewest RemovalOrder = iota
	// RemoveOldest removes the longest-running node first (a VMSS-style
	// scale-in policy that AKS's autoscaler does not offer; for what-ifs).
	RemoveOldest
)

var removalNames = [...]string{"Newest", "Oldest"}

// String returns the order's name.
func (o RemovalOrder) String() string {
	if int(o) < len(removalNames) {
		return removalNames[o]
	}
	return fmt.Sprintf("RemovalOrder(%d)", o)
}

// RemovalOrderNames returns the orders' names, in the order of their
// values.
func RemovalOrderNames() []string { return slices.Clone(removalNames[:]) }

// ParseRemovalOrder reads an order's name, ignoring case; else it returns
// the default and an error that lists the names.
func ParseRemovalOrder(s string) (RemovalOrder, error) {
	return parseName(removalNames[:], RemoveNewest, s)
}

// DefaultAutoscale returns what the zero duration fields of Autoscale and
// Profile stand for: the AKS autoscaler profile's scale-down-unneeded-time
// and scale-down-delay-after-add, 10 minutes each (aks.md section 11.1),
// and peak hours 08:00-18:00 UTC, Monday to Friday (ASSUMPTION).
func DefaultAutoscale() Autoscale {
	return Autoscale{ScaleDownUnneeded: 10 * time.Minute, ScaleDownDelayAfterAdd: 10 * time.Minute,
		Profile: Profile{Days: weekdays(), Start: 8 * time.Hour, End: 18 * time.Hour}}
}

func weekdays() []time.Weekday {
	return []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
}

func (a Autoscale) withDefaults() Autoscale {
	def := DefaultAutoscale()
	if a.ScaleDownUnneeded == 0 {
		a.ScaleDownUnneeded = def.ScaleDownUnneeded
	}
	if a.ScaleDownDelayAfterAdd == 0 {
		a.ScaleDownDelayAfterAdd = def.ScaleDownDelayAfterAdd
	}
	if len(a.Profile.Days) == 0 {
		a.Profile.Days = def.Profile.Days
	}
	a.Profile = a.Profile.withDefaults()
	return a
}

// withDefaults returns the profile with its peak hours' defaults: an End
// of zero (never valid) is 18:00, and a Start of zero with it 08:00.
func (pr Profile) withDefaults() Profile {
	def := DefaultAutoscale().Profile
	if pr.End == 0 {
		pr.End = def.End
		if pr.Start == 0 {
			pr.Start = def.Start
		}
	}
	return pr
}

// validate reports the problems of a pool's autoscale settings; count is
// the pool's size at Start.
func (a Autoscale) validate(p string, count int) []error {
	var errs []error
	add := func(path, format string, args ...any) { errs = append(errs, fieldErr(path, format, args...)) }
	if a.Min < 1 || a.Min > MaxPoolNodes {
		add(p+".min", "%d is outside 1 to %d", a.Min, MaxPoolNodes)
	}
	if a.Max < 1 || a.Max > MaxPoolNodes {
		add(p+".max", "%d is outside 1 to %d", a.Max, MaxPoolNodes)
	} else if a.Max < a.Min {
		add(p+".max", "%d is below min %d", a.Max, a.Min)
	}
	if a.Min <= a.Max && (count < a.Min || count > a.Max) {
		add(p[:len(p)-len(".autoscale")]+".count", "%d is outside the autoscale range %d to %d; count is the size at the start", count, a.Min, a.Max)
	}
	pr := a.Profile
	if pr.Base < 0 {
		add(p+".profile.base", "%d must not be negative", pr.Base)
	}
	if pr.Peak < 0 {
		add(p+".profile.peak", "%d must not be negative", pr.Peak)
	}
	for i, d := range pr.Days {
		if d < time.Sunday || d > time.Saturday {
			add(fmt.Sprintf("%s.profile.days[%d]", p, i), "%d is not a weekday (0 Sunday to 6 Saturday)", int(d))
		}
	}
	if pr.Start < 0 || pr.Start >= 24*time.Hour {
		add(p+".profile.start", "%v is outside [0, 24h)", pr.Start)
	}
	if hours := pr.withDefaults(); hours.End <= hours.Start || hours.End > 24*time.Hour {
		def := ""
		if pr.End == 0 {
			def = " (the default)"
		}
		add(p+".profile.end", "%v%s is outside (start %v, 24h]", hours.End, def, hours.Start)
	}
	if a.ScaleDownUnneeded < 0 {
		add(p+".scaleDownUnneededTime", "%v must not be negative", a.ScaleDownUnneeded)
	}
	if a.ScaleDownDelayAfterAdd < 0 {
		add(p+".scaleDownDelayAfterAdd", "%v must not be negative", a.ScaleDownDelayAfterAdd)
	}
	if int(a.Remove) >= len(removalNames) {
		add(p+".remove", "%d is not a removal order (%v or %v)", a.Remove, RemoveNewest, RemoveOldest)
	}
	if !a.Lifetime.isZero() {
		errs = append(errs, a.Lifetime.validate(p+".lifetime")...)
		if a.Lifetime.Min < MinNodeLifetime {
			add(p+".lifetime.min", "%v is below the minimum %v: a node lives hours to days before it is evicted or expires, and every lifetime that ends creates a node", a.Lifetime.Min, MinNodeLifetime)
		}
	}
	return errs
}

// clamp returns the pool size the autoscaler keeps for a demand of d
// nodes: d within [Min, Max].
func (a *Autoscale) clamp(d int) int { return min(max(d, a.Min), a.Max) }

// scaler is a pool's cluster autoscaler.
type scaler struct {
	p       *poolSim
	cfg     Autoscale   // defaults applied
	joining int         // nodes requested and not yet joined
	lastAdd sim.Time    // when nodes last joined; long before the run at first
	down    sim.Event   // the pending scale-down
	downAt  sim.Time    // its instant; -1 when none is pending
	free    []int32     // slots (indexes in runner.nodes) without a node, the lowest last
	order   []int32     // the pool's nodes (slots), in creation order
	ready   []int32     // scratch: the nodes candidates returns
	joined  []*joinStep // scale-ups done, for the next ones
	rng     struct{ provision, lifetime *rand.Rand }
	week    sim.Time // the start (Sunday 00:00 UTC) of the week of Start
	profile profileStep
	unneed  scaleDownStep
}

type profileStep struct{ s *scaler }
type scaleDownStep struct{ s *scaler }

// joinStep is a scale-up's nodes joining the pool.
type joinStep struct {
	s *scaler
	k int
}

// expiryStep is a node's lifetime ending.
type expiryStep struct {
	r  *runner
	i  int32 // slot
	id int32 // the node that had the slot when its lifetime began
}

func newScaler(p *poolSim, a Autoscale) *scaler {
	s := &scaler{p: p, cfg: a.withDefaults(), downAt: -1, lastAdd: -1 << 62}
	s.profile.s, s.unneed.s = s, s
	s.week = p.cl.r.week()
	base := "fleet/" + p.cl.cfg.Name + "/" + p.cfg.Name + "/"
	s.rng.provision = sim.Stream(p.cl.r.cfg.Seed, base+"autoscale")
	s.rng.lifetime = sim.Stream(p.cl.r.cfg.Seed, base+"lifetime")
	for i := p.slots - 1; i >= p.cfg.Count; i-- {
		s.free = append(s.free, int32(p.first+i))
	}
	for i := range p.cfg.Count {
		s.order = append(s.order, int32(p.first+i))
	}
	return s
}

// start evaluates the demand at Start, arms the profile and draws the
// lifetimes of the nodes present at Start.
func (s *scaler) start() {
	if !s.cfg.Lifetime.isZero() {
		for i := range s.p.nodes() {
			n := &s.p.nodes()[i]
			if n.state != stAbsent {
				s.expire(int32(s.p.first+i), n.id, 0)
			}
		}
	}
	s.evaluate()
	s.armProfile(0)
}

func (s *scaler) armProfile(t sim.Time) {
	r := s.p.cl.r
	if next, ok := s.nextChange(t); ok && next < r.horizon {
		r.schedule(next, &s.profile)
	}
}

// demand returns the nodes the profile asks for at instant t (at or after
// Start), clamped to [Min, Max].
func (s *scaler) demand(t sim.Time) int {
	a := &s.cfg
	d := a.Profile.Base
	if day, tod := s.weekday(t); slices.Contains(a.Profile.Days, day) && tod >= a.Profile.Start && tod < a.Profile.End {
		d = a.Profile.Peak
	}
	return a.clamp(d)
}

// weekday returns the UTC weekday of instant t (at or after Start) and its
// time of day (a UTC day is 24 hours).
func (s *scaler) weekday(t sim.Time) (time.Weekday, time.Duration) {
	w := t.Sub(s.week) % (7 * day)
	return time.Weekday(w / day), w % day
}

// nextChange returns the first instant after t where the profile's demand
// may change (the start or end of a peak), or false when it never does.
func (s *scaler) nextChange(t sim.Time) (sim.Time, bool) {
	pr := &s.cfg.Profile
	if pr.Base == pr.Peak {
		return 0, false
	}
	wd, tod := s.weekday(t)
	midnight := t.Add(-tod)
	for k := range 8 {
		if !slices.Contains(pr.Days, (wd+time.Weekday(k))%7) {
			continue
		}
		for _, off := range [2]time.Duration{pr.Start, pr.End} {
			if c := midnight.Add(time.Duration(k)*day + off); c > t {
				return c, true
			}
		}
	}
	return 0, false
}

// Handle: the profile's demand changes.
func (st *profileStep) Handle(*sim.Engine) error {
	s := st.s
	s.evaluate()
	s.armProfile(s.p.cl.r.now())
	return nil
}

// evaluate compares the demand with the pool: it requests nodes when the
// pool and the nodes joining are fewer (scale-up), and schedules the
// removal of unneeded nodes after the unneeded time and the delay after the
// last scale-up (scale-down).
func (s *scaler) evaluate() {
	p, r := s.p, s.p.cl.r
	now := r.now()
	want := s.demand(now)
	switch {
	case want > p.size+s.joining:
		k := want - p.size - s.joining
		s.joining += k
		d := p.cfg.Durations.Provision.Sample(s.rng.provision)
		var j *joinStep
		if n := len(s.joined); n > 0 {
			j, s.joined = s.joined[n-1], s.joined[:n-1]
		} else {
			j = &joinStep{s: s}
		}
		j.k = k
		r.schedule(now.Add(d), j)
		s.cancelDown()
	case want < p.size:
		if s.downAt < 0 {
			s.downAt = max(now.Add(s.cfg.ScaleDownUnneeded), s.lastAdd.Add(s.cfg.ScaleDownDelayAfterAdd))
			s.down = r.schedule(s.downAt, &s.unneed)
		}
	default:
		s.cancelDown()
	}
}

func (s *scaler) cancelDown() {
	if s.downAt >= 0 {
		s.p.cl.r.eng.Cancel(s.down)
		s.downAt = -1
	}
}

// Handle: the scale-up's nodes join, booting from the pool's image.
func (st *joinStep) Handle(*sim.Engine) error {
	s := st.s
	s.joining -= st.k
	now := s.p.cl.r.now()
	s.create(now, st.k)
	s.lastAdd = now
	s.p.observe()
	s.evaluate()
	s.joined = append(s.joined, st)
	return nil
}

// Handle: unneeded nodes go. Only ready nodes are removed: a node in an
// operation (drain, reimage, reboot, quarantine) is needed by it; when some
// could not go, the autoscaler looks again after the unneeded time.
func (st *scaleDownStep) Handle(*sim.Engine) error {
	s := st.s
	p, r := s.p, s.p.cl.r
	now := r.now()
	s.downAt = -1
	excess := p.size - s.demand(now)
	if excess > 0 {
		gone, from := s.candidates(excess)
		s.remove(gone, from, now)
		excess -= len(gone)
	}
	p.observe()
	if excess > 0 {
		s.downAt = now.Add(s.cfg.ScaleDownUnneeded)
		s.down = r.schedule(s.downAt, &s.unneed)
	}
	return nil
}

// candidates returns up to k ready nodes to remove, in the order they go
// (the newest first or the oldest first, by creation), and the position in
// the creation order of the earliest created of them.
func (s *scaler) candidates(k int) ([]int32, int) {
	r := s.p.cl.r
	s.ready = s.ready[:0]
	n := len(s.order)
	from := n
	for j := 0; j < n && len(s.ready) < k; j++ {
		at := j
		if s.cfg.Remove == RemoveNewest {
			at = n - 1 - j
		}
		if i := s.order[at]; r.nodes[i].state == stReady {
			s.ready = append(s.ready, i)
			from = min(from, at)
		}
	}
	return s.ready, from
}

// forget drops the removed nodes from the creation order, looking at the
// positions from on.
func (s *scaler) forget(from int) {
	r := s.p.cl.r
	kept := slices.DeleteFunc(s.order[from:], func(i int32) bool { return r.nodes[i].state == stAbsent })
	s.order = s.order[:from+len(kept)]
}

// create adds k nodes to the pool at now, booting from the pool's image:
// they start with the same content, so the recorder sets up one and the
// others copy it.
func (s *scaler) create(now sim.Time, k int) {
	p, r := s.p, s.p.cl.r
	k = min(k, len(s.free)) // evaluate never asks past Max
	var boot cuts
	r.rec.born(&boot, p.cfg.OS, now, p.boot.user, p.boot.kernel, k)
	boot.pool = p.index
	for range k {
		i := s.free[len(s.free)-1]
		s.free = s.free[:len(s.free)-1]
		// The slot keeps its OS, pool, key and kured phase.
		n := &r.nodes[i]
		n.cuts, n.state, n.pendingReboot, n.installedKernel, n.since, n.ro = boot, stReady, false, p.boot.kernel, 0, nil
		n.idx, n.id = p.nextIdx, r.nextID
		p.nextIdx++
		r.nextID++
		r.ids[i] = n.id
		s.order = append(s.order, i)
		r.trace(n, ActCreate, now, now)
		if !s.cfg.Lifetime.isZero() {
			s.expire(i, n.id, now)
		}
	}
	p.size += k
	p.stats.Created += uint64(k)
	r.churn.Created += uint64(k)
	r.rec.exist(now, k)
}

// remove takes the ready nodes gone out of the pool at now: their pods
// are evicted, their exposure stops and their open pairs are censored
// (section 3.1 of DESIGN.md); a rollout that has them in its list skips
// them. from is the position in the creation order of the earliest
// created of them.
func (s *scaler) remove(gone []int32, from int, now sim.Time) {
	p, r := s.p, s.p.cl.r
	today := ceilDay(now)
	for _, i := range gone {
		n := &r.nodes[i]
		if p.night.lazy {
			p.installUntil(i, now)
		}
		r.rec.remove(&n.cuts, n.os, now, p.boot.user, p.boot.kernel)
		p.dayStarts += today - ceilDay(n.cuts.born)
		r.trace(n, ActRemove, now, now)
		n.state = stAbsent
		n.pendingReboot = false
		n.ro = nil
		s.free = append(s.free, i)
	}
	r.rec.flush(now)
	k := len(gone)
	r.rec.exist(now, -k)
	r.dis.Evictions += uint64(k * p.cfg.PodsPerNode)
	p.size -= k
	p.stats.Removed += uint64(k)
	r.churn.Removed += uint64(k)
	s.forget(from)
}

// expire schedules the end of the lifetime of node id (slot i), created at t.
func (s *scaler) expire(i, id int32, t sim.Time) {
	r := s.p.cl.r
	d := s.cfg.Lifetime.Sample(s.rng.lifetime)
	if at := t.Add(d); at < r.horizon {
		r.schedule(at, &expiryStep{r: r, i: i, id: id})
	}
}

// Handle: the node's lifetime ends; a node busy in an operation goes when
// it is done (looked at again after the unneeded time).
func (st *expiryStep) Handle(*sim.Engine) error {
	r := st.r
	n := &r.nodes[st.i]
	if n.id != st.id || n.state == stAbsent {
		return nil // scaled down already
	}
	s := n.pool.scale
	now := r.now()
	if n.state != stReady {
		if at := now.Add(s.cfg.ScaleDownUnneeded); at < r.horizon {
			r.schedule(at, st)
		}
		return nil
	}
	s.remove([]int32{st.i}, 0, now)
	n.pool.observe()
	s.evaluate()
	return nil
}

// bootImage is what a node created in the pool boots from: the pool's node
// image version (its virtual machine scale set model, aks.md section 11.3).
type bootImage struct{ user, kernel sim.Time }

// moveBoot records that an operation updated the pool's image: a rolling
// reimage to (user, kernel) updates the scale set model when it starts, so
// that its surge nodes boot the target; a SecurityPatch live-patch pass
// produces a VHD with the snapshot's packages, "used on new nodes".
func (p *poolSim) moveBoot(user, kernel sim.Time) {
	p.boot.user = max(p.boot.user, user)
	if kernel != noKernel {
		p.boot.kernel = kernel
	}
}

// noKernel marks a live patch's work, which leaves the image's kernel.
const noKernel = sim.Time(-1 << 63)

// Churn totals what autoscaling and node lifetimes did over the run; every
// field is zero when no pool autoscales.
type Churn struct {
	Created uint64 // nodes created during the run (scale-ups, replacements)
	Removed uint64 // nodes removed during the run (scale-downs, lifetimes)
	// NodeMonths is the pool nodes' existence in months of 365.25/12 days:
	// the time-varying size integrated over the run (surge nodes not
	// counted).
	NodeMonths float64
	// Remediations counts the (node, advisory) pairs still open on a node
	// when it was removed whose fix the pool's image held by then: a node
	// created in its place boots without the advisory. Those pairs are
	// censored at the removal in Exposure; this counts them apart.
	Remediations uint64
	// Share is Remediations over Remediations plus the pairs remediated by
	// an operation (reimage, live patch, install, reboot): the share of
	// remediation that came from churn.
	Share float64
	// Nodes is the number of pool nodes at the start of each day of the
	// run, the denominator of Result.PastSLA.
	Nodes []int
}
