package plan

// FleetManager is Azure Kubernetes Fleet Manager's multi-cluster update
// orchestration over the scenario's clusters (fleet-manager.md): which
// clusters are fleet members and in which update group, the update
// strategy (stages one after another, groups in parallel within a stage,
// waits and approval gates between stages) and the auto-upgrade profiles
// that start a run of it for each new release. Each object is accepted as
// `az fleet ... show -o json` prints it (ARM's properties flattened, with
// resourceGroup), as ARM GET returns it (under properties) or, for the
// strategy, as the stages file `az fleet updatestrategy create --stages`
// reads; read-only properties (id, eTag, systemData, statuses) are accepted
// with any value and not read.
type FleetManager struct {
	// Members are the fleet members, as `az fleet member list` prints
	// them: each names a cluster of the scenario and its update group.
	// Runs update members only; none means every cluster.
	Members []FleetMember `json:"members,omitempty"`
	// UpdateStrategy is the fleet's update strategy; nil: runs update the
	// members one by one, in the members' order.
	UpdateStrategy *UpdateStrategy `json:"updateStrategy,omitempty"`
	// AutoUpgradeProfiles start a run for each new release of their
	// channel.
	AutoUpgradeProfiles []AutoUpgradeProfile `json:"autoUpgradeProfiles,omitempty"`
	// Policy holds what the documentation leaves open
	// (fleet.ManagerPolicy); the zero value is the proposed default.
	Policy ManagerPolicy `json:"policy,omitempty"`
}

// ManagerPolicy is fleet.ManagerPolicy: Fleet Manager's behaviour that
// the documentation does not state, each an assumption.
type ManagerPolicy struct {
	// WindowPoll is how often Fleet Manager looks for members whose window
	// opened; zero means 60 minutes.
	WindowPoll Duration `json:"windowPoll,omitempty"`
	// NoWindowPoll starts a Pending member the moment it can.
	NoWindowPoll bool `json:"noWindowPoll,omitempty"`
	// StepLatency is the time from one member's completion to the next
	// member's start in its group.
	StepLatency Duration `json:"stepLatency,omitempty"`
	// ApprovalDelay is the time from a run reaching an approval gate to
	// its grant; absent, at once.
	ApprovalDelay *Dist `json:"approvalDelay,omitempty"`
	// TriggerOn is firstRegion (default) or allRegions.
	TriggerOn string `json:"triggerOn,omitempty"`
	// TriggerLag is added to the trigger instant.
	TriggerLag Duration `json:"triggerLag,omitempty"`
	// NewerRelease is parallelRuns (default), supersede or queue.
	NewerRelease string `json:"newerRelease,omitempty"`
	// MemberOverrun is finish (default: a member's upgrade runs to
	// completion past its window's close) or deferRemainingPools.
	MemberOverrun string `json:"memberOverrun,omitempty"`
	// ApprovalWindow restricts approval grants to its hours; nil: always.
	ApprovalWindow *ApprovalWindow `json:"approvalWindow,omitempty"`
}

// ApprovalWindow is when approvals are granted: days (all when empty) from
// startTime to endTime in timeZone, e.g. business hours.
type ApprovalWindow struct {
	Days      []string `json:"days,omitempty"`
	StartTime string   `json:"startTime,omitempty"`
	EndTime   string   `json:"endTime,omitempty"`
	TimeZone  string   `json:"timeZone,omitempty"`
}

// ReadOnly is a read-only ARM property (id, eTag, systemData, a status):
// a scenario accepts it with any value, as az and ARM print it, and does
// not read it. Its value is always false, so a scenario written back
// leaves it out.
type ReadOnly bool

// UnmarshalJSON accepts any JSON value and keeps none of it.
func (r *ReadOnly) UnmarshalJSON([]byte) error { return nil }

// FleetMember is a Fleet Manager member (Microsoft.ContainerService/fleets/
// members): the cluster it joins and its update group.
type FleetMember struct {
	// Name is the member's name; it names the scenario's cluster when
	// ClusterResourceID is empty.
	Name string `json:"name,omitempty"`
	// ClusterResourceID is the member cluster's ARM ID; its last segment
	// after /managedClusters/ names the scenario's cluster.
	ClusterResourceID string `json:"clusterResourceId,omitempty"`
	// Group is the member's update group; empty: in no group.
	Group      string                 `json:"group,omitempty"`
	Properties *FleetMemberProperties `json:"properties,omitempty"`

	ID                ReadOnly `json:"id,omitempty"`
	Type              ReadOnly `json:"type,omitempty"`
	ETag              ReadOnly `json:"eTag,omitempty"`
	ResourceGroup     ReadOnly `json:"resourceGroup,omitempty"`
	SystemData        ReadOnly `json:"systemData,omitempty"`
	ProvisioningState ReadOnly `json:"provisioningState,omitempty"`
	Status            ReadOnly `json:"status,omitempty"`
	// Labels (a preview) serve member selectors, which a scenario does
	// not read; accepted and not read.
	Labels ReadOnly `json:"labels,omitempty"`
}

// FleetMemberProperties are a member's ARM properties.
type FleetMemberProperties struct {
	ClusterResourceID string   `json:"clusterResourceId,omitempty"`
	Group             string   `json:"group,omitempty"`
	ProvisioningState ReadOnly `json:"provisioningState,omitempty"`
	Status            ReadOnly `json:"status,omitempty"`
	Labels            ReadOnly `json:"labels,omitempty"`
}

// UpdateStrategy is a Fleet Manager update strategy
// (Microsoft.ContainerService/fleets/updateStrategies): exactly one of
// Stages (the stages file), Strategy (az) or Properties.Strategy (ARM)
// holds its stages.
type UpdateStrategy struct {
	// Name is the strategy's name, which auto-upgrade profiles refer to.
	Name       string                    `json:"name,omitempty"`
	Stages     []UpdateStage             `json:"stages,omitempty"`
	Strategy   *UpdateRunStrategy        `json:"strategy,omitempty"`
	Properties *UpdateStrategyProperties `json:"properties,omitempty"`

	ID                ReadOnly `json:"id,omitempty"`
	Type              ReadOnly `json:"type,omitempty"`
	ETag              ReadOnly `json:"eTag,omitempty"`
	ResourceGroup     ReadOnly `json:"resourceGroup,omitempty"`
	SystemData        ReadOnly `json:"systemData,omitempty"`
	ProvisioningState ReadOnly `json:"provisioningState,omitempty"`
}

// UpdateStrategyProperties are a strategy's ARM properties.
type UpdateStrategyProperties struct {
	Strategy          *UpdateRunStrategy `json:"strategy,omitempty"`
	ProvisioningState ReadOnly           `json:"provisioningState,omitempty"`
}

// UpdateRunStrategy is ARM's strategy object: the stages, run one after
// another.
type UpdateRunStrategy struct {
	Stages []UpdateStage `json:"stages"`
}

// UpdateStage is one stage: its groups run in parallel; the next stage
// starts when every group is done, the after-stage wait has passed and
// the after-gates are complete.
type UpdateStage struct {
	Name   string        `json:"name"`
	Groups []UpdateGroup `json:"groups,omitempty"`
	// AfterStageWaitInSeconds is the wait at the end of the stage before
	// the next one starts; 0 (ARM's default) means none.
	AfterStageWaitInSeconds int                 `json:"afterStageWaitInSeconds,omitempty"`
	MaxConcurrency          string              `json:"maxConcurrency,omitempty"`
	MaxAllowedFailures      string              `json:"maxAllowedFailures,omitempty"`
	BeforeGates             []GateConfiguration `json:"beforeGates,omitempty"`
	AfterGates              []GateConfiguration `json:"afterGates,omitempty"`
}

// UpdateGroup is one update group of a stage: the members whose group is
// its name, upgraded maxConcurrency at a time (one by default).
type UpdateGroup struct {
	Name               string              `json:"name"`
	MaxConcurrency     string              `json:"maxConcurrency,omitempty"`
	MaxAllowedFailures string              `json:"maxAllowedFailures,omitempty"`
	BeforeGates        []GateConfiguration `json:"beforeGates,omitempty"`
	AfterGates         []GateConfiguration `json:"afterGates,omitempty"`
}

// GateConfiguration is a gate before or after a stage or group: an
// approval, or a scheduled start (before only).
type GateConfiguration struct {
	DisplayName                 string                       `json:"displayName,omitempty"`
	Type                        string                       `json:"type"`
	ScheduledStartConfiguration *ScheduledStartConfiguration `json:"scheduledStartConfiguration,omitempty"`
}

// ScheduledStartConfiguration is when a ScheduledStart gate completes: the
// next startDay at startTime, at utcOffset.
type ScheduledStartConfiguration struct {
	StartDay  string `json:"startDay"`
	StartTime string `json:"startTime"`
	UTCOffset string `json:"utcOffset"`
}

// AutoUpgradeProfile is a Fleet Manager auto-upgrade profile
// (Microsoft.ContainerService/fleets/autoUpgradeProfiles): its fields at
// the top level (az) or under Properties (ARM), not both.
type AutoUpgradeProfile struct {
	Name                    string                        `json:"name,omitempty"`
	Channel                 string                        `json:"channel,omitempty"`
	UpdateStrategyID        string                        `json:"updateStrategyId,omitempty"`
	NodeImageSelection      *NodeImageSelection           `json:"nodeImageSelection,omitempty"`
	Disabled                bool                          `json:"disabled,omitempty"`
	TargetKubernetesVersion string                        `json:"targetKubernetesVersion,omitempty"`
	LongTermSupport         bool                          `json:"longTermSupport,omitempty"`
	Properties              *AutoUpgradeProfileProperties `json:"properties,omitempty"`

	ID                       ReadOnly `json:"id,omitempty"`
	Type                     ReadOnly `json:"type,omitempty"`
	ETag                     ReadOnly `json:"eTag,omitempty"`
	ResourceGroup            ReadOnly `json:"resourceGroup,omitempty"`
	SystemData               ReadOnly `json:"systemData,omitempty"`
	ProvisioningState        ReadOnly `json:"provisioningState,omitempty"`
	AutoUpgradeProfileStatus ReadOnly `json:"autoUpgradeProfileStatus,omitempty"`
}

// AutoUpgradeProfileProperties are a profile's ARM properties.
type AutoUpgradeProfileProperties struct {
	Channel                  string              `json:"channel,omitempty"`
	UpdateStrategyID         string              `json:"updateStrategyId,omitempty"`
	NodeImageSelection       *NodeImageSelection `json:"nodeImageSelection,omitempty"`
	Disabled                 bool                `json:"disabled,omitempty"`
	TargetKubernetesVersion  string              `json:"targetKubernetesVersion,omitempty"`
	LongTermSupport          bool                `json:"longTermSupport,omitempty"`
	ProvisioningState        ReadOnly            `json:"provisioningState,omitempty"`
	AutoUpgradeProfileStatus ReadOnly            `json:"autoUpgradeProfileStatus,omitempty"`
}

// NodeImageSelection is how a run picks node image versions: Latest (the
// newest in each member's region when its upgrade starts) or Consistent
// (the newest available in every member region when the run starts).
type NodeImageSelection struct {
	Type string `json:"type"`
}

// stages returns the strategy's stages, wherever the file put them.
func (u *UpdateStrategy) stages() []UpdateStage {
	switch {
	case u == nil:
		return nil
	case len(u.Stages) > 0:
		return u.Stages
	case u.Strategy != nil:
		return u.Strategy.Stages
	case u.Properties != nil && u.Properties.Strategy != nil:
		return u.Properties.Strategy.Stages
	}
	return nil
}

// setStages returns a copy of u holding stages in the stages file's place.
func (u UpdateStrategy) setStages(stages []UpdateStage) *UpdateStrategy {
	u.Stages, u.Strategy, u.Properties = stages, nil, nil
	return &u
}

// flat returns the profile with its ARM properties moved to the top level.
func (p AutoUpgradeProfile) flat() AutoUpgradeProfile {
	if q := p.Properties; q != nil {
		p.Channel, p.UpdateStrategyID, p.NodeImageSelection = q.Channel, q.UpdateStrategyID, q.NodeImageSelection
		p.Disabled, p.TargetKubernetesVersion, p.LongTermSupport = q.Disabled, q.TargetKubernetesVersion, q.LongTermSupport
		p.Properties = nil
	}
	return p
}

// flat returns the member with its ARM properties moved to the top level.
func (m FleetMember) flat() FleetMember {
	if q := m.Properties; q != nil {
		m.ClusterResourceID, m.Group = q.ClusterResourceID, q.Group
		m.Properties = nil
	}
	return m
}
