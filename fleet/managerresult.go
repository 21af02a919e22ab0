package fleet

import (
	"fmt"
	"strings"
	"time"

	"github.com/patchsim/patchsim/channel"
)

// ManagerResult is what Fleet Manager did in a run (Result.Manager, set
// when Config.Manager is): every update run with each stage and member, and
// the fleet-level metrics of reference fleet-manager.md section 13.
type ManagerResult struct {
	// Runs are the update runs the profiles created, in creation order.
	Runs []UpdateRun
	// Stages has one entry per stage of the strategy, in order (one stage
	// named "default" without a strategy).
	Stages []UpdateStageResult
	// Members has one entry per member cluster, in strategy order.
	Members []MemberResult
	// BehindFirstStage is, for each day of the run, the share of the
	// members whose oldest node runs older content (userspace cut; Linux
	// nodes, or all of a member without any) than the oldest node of the
	// first stage's members, at the start of that day: the part of the
	// fleet still to receive what the first stage runs.
	BehindFirstStage []float64
}

// UpdateRun is one update run, created and started by an auto-upgrade
// profile for a new release (fleet-manager.md section 7.3).
type UpdateRun struct {
	Profile string
	// Release is the version of the release that triggered the run (a
	// node image, or a Kubernetes version), published at Published in the
	// first region.
	Release   string
	Published time.Time
	Created   time.Time // the trigger
	// Start is when the run began (Created, or later under Queue); zero
	// if it never did.
	Start time.Time
	// End is when the run ended; zero if it had not by the end of the run.
	End   time.Time
	State RunState
	// Consistent lists the versions a Consistent run picked at its start,
	// per image stream ("node-images", "windows-images"); "" where no
	// version was available in every member region.
	Consistent map[string]string `json:",omitempty"`
	Stages     []UpdateStageRun
}

// UpdateStageRun is one stage of an update run.
type UpdateStageRun struct {
	Name string
	// Start is when the run reached the stage (before its approvals);
	// Done is when its last member was done (completed or skipped), End
	// when its after-stage wait and approvals were done and the next stage
	// could start. Each is zero if not reached within the run.
	Start, Done, End time.Time
	Members          []MemberRun
}

// MemberRun is one member cluster's part in an update run.
type MemberRun struct {
	Cluster, Group string
	State          MemberState
	// Reached is when the member's group began picking members; Start and
	// End bound the member's upgrade operation (zero if none); a skipped
	// member has an End, when it was skipped.
	Reached, Start, End time.Time
	// Target is what the member was upgraded to: for a node image run the
	// node image version of its Linux pools (of its Windows pools when
	// only they were upgraded), for a Kubernetes run the Kubernetes
	// version; empty if it was not upgraded.
	Target string
	// Pending counts the times the member became Pending or stayed so for
	// another reason; Reason is the last reason (PendingNone if it never
	// was), kept once the member starts.
	Pending int
	Reason  PendingReason
}

// RunState is an update run's state (fleet-manager.md section 5.1).
type RunState uint8

const (
	RunNotStarted RunState = iota // created, waiting for older runs (Queue)
	RunRunning                    // still running at the end of the simulation
	RunCompleted
	RunFailed  // a member failed: no member started after it (fail-fast)
	RunStopped // superseded by a newer run (Supersede)
)

var runStateNames = [...]string{"NotStarted", "Running", "Completed", "Failed", "Stopped"}

// MemberState is a member's state in an update run.
type MemberState uint8

const (
	MemberNotStarted MemberState = iota
	MemberPending                // could not start (see MemberRun.Reason)
	MemberRunning
	MemberCompleted
	MemberSkipped // already at or ahead of the run's target
	MemberFailed
)

var memberStateNames = [...]string{"NotStarted", "Pending", "Running", "Completed", "Skipped", "Failed"}

// PendingReason is why a member could not start (fleet-manager.md section
// 5.2).
type PendingReason uint8

const (
	PendingNone   PendingReason = iota
	PendingWindow               // its maintenance window is closed
	PendingRegion               // the target has not reached its region
	PendingBusy                 // another operation of the cluster is in flight
)

var pendingNames = [...]string{"", "MaintenanceWindowClosed", "VersionNotAvailable", "OperationInProgress"}

// String returns the state's API name.
func (s RunState) String() string { return enumName(runStateNames[:], uint8(s), "RunState") }

// String returns the state's API name.
func (s MemberState) String() string { return enumName(memberStateNames[:], uint8(s), "MemberState") }

// String returns the reason's name.
func (p PendingReason) String() string { return enumName(pendingNames[:], uint8(p), "PendingReason") }

// MarshalText writes the state's name.
func (s RunState) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// MarshalText writes the state's name.
func (s MemberState) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// MarshalText writes the reason's name.
func (p PendingReason) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

func enumName(names []string, v uint8, kind string) string {
	if int(v) < len(names) {
		return names[v]
	}
	return fmt.Sprintf("%s(%d)", kind, v)
}

// parseName returns the value named s, ignoring case, where names are the
// names of the values from first on, in order; else 0 and an error that
// lists them.
func parseName[T ~uint8](names []string, first T, s string) (T, error) {
	for i, n := range names {
		if strings.EqualFold(s, n) {
			return first + T(i), nil
		}
	}
	return 0, fmt.Errorf("%q is not one of %s (any case)", s, strings.Join(names, ", "))
}

// UpdateStageResult sums one strategy stage over the run.
type UpdateStageResult struct {
	Name    string
	Members []string // cluster names
	// Completed counts the update runs in which the stage's last member
	// was done. ReleaseToDone is the mean and the longest time from the
	// triggering release's publication to that instant over the runs that
	// got through the strategy's last stage (fleet-manager.md section 13):
	// every stage over the same runs, so that a later stage is never done
	// before an earlier one; zero when no run got through.
	Completed                           int
	MeanReleaseToDone, MaxReleaseToDone time.Duration
	// VulnerableNodeDays and PastSLANodeDays sum the stage's members' pools
	// (PoolResult).
	VulnerableNodeDays [channel.NumSeverities]float64
	PastSLANodeDays    float64
}

// MemberResult sums one member cluster's pools over the run.
type MemberResult struct {
	// Cluster is the member; Stage names its update stage
	// (UpdateStage.Name, "default" without a strategy).
	Cluster, Stage     string
	VulnerableNodeDays [channel.NumSeverities]float64
	PastSLANodeDays    float64
}
