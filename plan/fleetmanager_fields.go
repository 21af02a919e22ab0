package plan

import (
	"fmt"
	"math"
	"reflect"

	"github.com/patchsim/patchsim/fleet"
)

// Fleet Manager's names and values, as the Fleet ARM API writes them
// (fleet-manager.md sections 2, 4, 7 and 10).
const (
	// fleetNamePattern is a stage, group, strategy or profile name: 1 to 50
	// lower-case letters, digits and inner hyphens.
	fleetNamePattern = `^[a-z0-9]([-a-z0-9]{0,48}[a-z0-9])?$`
	// concurrencyPattern is maxConcurrency: a count from 1, or a
	// percentage from 1% to 100%.
	concurrencyPattern = `^([1-9][0-9]*|([1-9][0-9]?|100)%)$`
	// failuresPattern is maxAllowedFailures: a count or a percentage, 0
	// included.
	failuresPattern = `^([0-9]+|([0-9]|[1-9][0-9]|100)%)$`
	// gateOffsetPattern is a scheduled start's utcOffset, -14:00 to
	// +14:00 (Validate checks the range).
	gateOffsetPattern = `^[+-](0[0-9]|1[0-4]):[0-5][0-9]$`
	// minorVersionPattern is targetKubernetesVersion, "{major}.{minor}".
	minorVersionPattern = `^[0-9]+\.[0-9]+$`

	// MaxStageGroups is the most update groups in a stage, and
	// MaxStageConcurrency the highest stage maxConcurrency (fleet-manager.md
	// sections 2.2 and 2.4).
	MaxStageGroups      = 50
	MaxStageConcurrency = 50
	// maxGateName is the longest gate displayName (fleet-manager.md
	// section 4.1).
	maxGateName = 100
)

// Gate types, in the API's spelling, and policy memberOverrun's choices.
// The names of the enums of package fleet (channels, node image
// selections, triggerOn, newerRelease) are fleet's.
var (
	gateTypes    = []string{"Approval", "ScheduledStart"}
	overrunNames = []string{"finish", "deferRemainingPools"}
)

func init() {
	for w, p := range map[string]string{
		fleetNamePattern:    "1 to 50 lower-case letters, digits and hyphens, starting and ending with a letter or digit",
		concurrencyPattern:  "a count from 1, or a percentage from 1% to 100%",
		failuresPattern:     "a count, or a percentage up to 100%",
		gateOffsetPattern:   "+hh:mm or -hh:mm, -14:00 to +14:00",
		minorVersionPattern: "{major}.{minor}, e.g. 1.33",
	} {
		patternWords[w] = p
	}
	for t, d := range fleetReference {
		reference[t] = d
	}
}

// readOnly documents a read-only ARM property.
func readOnly(what string) Field {
	return Field{Doc: what + " (read-only; accepted with any value and not read).", Nullable: true}
}

// armMeta returns the entries of the read-only properties every ARM
// resource carries, with those of fields.
func armMeta(fields map[string]Field, names ...string) map[string]Field {
	docs := map[string]string{
		"id": "ARM resource ID", "type": "ARM resource type", "eTag": "Entity tag", "resourceGroup": "Resource group (az adds it)",
		"systemData": "Who created and changed the resource, and when", "provisioningState": "Provisioning state",
		"status": "Status of the member", "autoUpgradeProfileStatus": "Status of the last trigger",
		"labels": "Member labels, a preview for member selectors, which are not read",
	}
	for _, n := range names {
		fields[n] = readOnly(docs[n])
	}
	if _, ok := fields["labels"]; ok {
		fields["labels"] = Field{Doc: docs["labels"] + "; accepted with any value and not read.", Nullable: true}
	}
	for n, f := range fields {
		if !f.Required {
			f.Nullable = true
			fields[n] = f
		}
	}
	return fields
}

var fleetGate = Field{Doc: "Gates; the run goes on when every one is complete.", Source: "fleet-manager.md section 4"}

var fleetReference = map[reflect.Type]objectDoc{
	reflect.TypeFor[FleetManager](): {
		doc: "Azure Kubernetes Fleet Manager's multi-cluster updates over the scenario's clusters: the members and their update groups, the update strategy and the auto-upgrade profiles. Each object is read as az fleet ... show -o json prints it or as ARM GET returns it (under properties); read-only properties are accepted and not read.",
		fields: armMeta(map[string]Field{
			"members":             {Doc: "Fleet members as az fleet member list prints them: each names a cluster of the scenario, at most once, and its update group; runs update members only. Absent: every cluster is a member, in the scenario's order.", Source: "fleet-manager.md section 2.2", AKS: "fleets/members"},
			"updateStrategy":      {Doc: "The update strategy; absent, runs update the members one by one in the members' order.", Source: "fleet-manager.md section 1", AKS: "fleets/updateStrategies"},
			"autoUpgradeProfiles": {Doc: "Auto-upgrade profiles: each starts a run for every new release of its channel; with an update strategy, each names it in updateStrategyId.", Source: "fleet-manager.md section 7", AKS: "fleets/autoUpgradeProfiles"},
			"policy":              {Doc: "Fleet Manager's behaviour that the documentation does not state, each an assumption; the zero value is the proposed default.", Source: "fleet-manager.md section 12"},
		}),
	},
	reflect.TypeFor[ManagerPolicy](): {
		doc: "What Fleet Manager does where its documentation is silent (fleet-manager.md section 12); every field is an assumption.",
		fields: map[string]Field{
			"windowPoll":    {Doc: "How often Fleet Manager looks for members whose window opened or whose target reached their region (\"polls for open maintenance windows every 60 minutes\"); the phase is drawn once per run.", Default: dur(fleet.DefaultWindowPoll), Source: "fleet-manager.md section 5.4"},
			"noWindowPoll":  {Doc: "Start a Pending member the moment it can, without the poll.", Default: "false", Source: "assumption (fleet-manager.md section 12)"},
			"stepLatency":   {Doc: "Time from one member's completion to the next member's start in its group.", Default: "0s", Source: "fleet-manager.md section 2.3"},
			"approvalDelay": {Doc: "Time from a run reaching an approval gate to its grant; absent, at once, so that a strategy with approvals and one without agree.", Source: "assumption (fleet-manager.md section 12)"},
			"triggerOn": {Doc: "When a new release creates its run: firstRegion, when it starts rolling out; allRegions, when it has reached every member's region.",
				Enum: fleet.TriggerNames(), FoldCase: true, Default: fleet.TriggerFirstRegion.String(), Source: "fleet-manager.md section 7.3"},
			"triggerLag": {Doc: "Time added to the trigger instant.", Default: "0s", Source: "assumption (fleet-manager.md section 12)"},
			"newerRelease": {Doc: "What a newer release does to a profile's runs in flight: parallelRuns, the new run starts and the older go on (a member at or ahead of a run's target is skipped); supersede, the older runs start no more members; queue, the new run starts when the older have ended.",
				Enum: fleet.NewerReleaseNames(), FoldCase: true, Default: fleet.ParallelRuns.String(), Source: "fleet-manager.md section 9"},
			"memberOverrun": {Doc: "A member's window closes during its upgrade: finish, its whole upgrade (every pool) runs to completion; deferRemainingPools, its later pools wait for its next window, as AKS's own operations do.",
				Enum: overrunNames, FoldCase: true, Default: overrunNames[0], Source: "fleet-manager.md section 12"},
			"approvalWindow": {Doc: "When approvals are granted (e.g. business hours): a grant due outside it waits for it to open; absent, always.", Source: "assumption (fleet-manager.md section 12)"},
		},
	},
	reflect.TypeFor[ApprovalWindow](): {
		doc: "When approvals are granted: days (all when empty) from startTime to endTime in timeZone.",
		fields: map[string]Field{
			"days":      {Doc: "Days of the window; empty, every day.", Enum: weekdayNames(), FoldCase: true, Aliases: weekdayAbbrevs()},
			"startTime": {Doc: "Start, HH:MM in timeZone.", Pattern: startClockPattern, Default: "00:00", Source: "assumption"},
			"endTime":   {Doc: "End, HH:MM in timeZone, up to 24:00; before startTime, the window crosses midnight.", Pattern: endClockPattern, Default: "24:00", Source: "assumption"},
			"timeZone":  {Doc: "IANA time zone, e.g. Europe/Paris.", Default: "UTC", Source: "assumption"},
		},
	},
	reflect.TypeFor[FleetMember](): {
		doc: "A fleet member, as az fleet member show prints it (clusterResourceId and group at the top level) or as ARM GET returns it (under properties).",
		fields: armMeta(map[string]Field{
			"name":              {Doc: "Name of the member; names the scenario's cluster when clusterResourceId is absent."},
			"clusterResourceId": {Doc: "ARM ID of the member cluster; the name after /managedClusters/ is a cluster of the scenario.", AKS: "properties.clusterResourceId"},
			"group":             {Doc: "Update group of the member; absent, in no group, so a strategy's runs leave it alone.", Pattern: fleetNamePattern, Source: "fleet-manager.md section 2.2", AKS: "properties.group"},
			"properties":        {Doc: "The member's ARM properties (ARM GET); the same fields are at the top level in az's output, not both."},
		}, "id", "type", "eTag", "resourceGroup", "systemData", "provisioningState", "status", "labels"),
	},
	reflect.TypeFor[FleetMemberProperties](): {
		doc: "A fleet member's ARM properties.",
		fields: armMeta(map[string]Field{
			"clusterResourceId": {Doc: "ARM ID of the member cluster; the name after /managedClusters/ is a cluster of the scenario."},
			"group":             {Doc: "Update group of the member.", Pattern: fleetNamePattern, Source: "fleet-manager.md section 2.2"},
		}, "provisioningState", "status", "labels"),
	},
	reflect.TypeFor[UpdateStrategy](): {
		doc: "An update strategy: stages run one after another. Its stages are in exactly one place: stages (the file az fleet updatestrategy create --stages reads), strategy.stages (az fleet updatestrategy show) or properties.strategy.stages (ARM GET).",
		fields: armMeta(map[string]Field{
			"name":       {Doc: "Name of the strategy, which an auto-upgrade profile's updateStrategyId ends with.", Pattern: fleetNamePattern, Source: "fleet-manager.md section 10"},
			"stages":     {Doc: "The stages, as the stages file writes them.", Source: "fleet-manager.md section 11.1"},
			"strategy":   {Doc: "The stages, as az fleet updatestrategy show prints them.", Source: "fleet-manager.md section 11.1", AKS: "properties.strategy"},
			"properties": {Doc: "The strategy's ARM properties (ARM GET)."},
		}, "id", "type", "eTag", "resourceGroup", "systemData", "provisioningState"),
	},
	reflect.TypeFor[UpdateStrategyProperties](): {
		doc: "An update strategy's ARM properties.",
		fields: armMeta(map[string]Field{
			"strategy": {Doc: "The stages.", AKS: "properties.strategy"},
		}, "provisioningState"),
	},
	reflect.TypeFor[UpdateRunStrategy](): {
		doc: "ARM's strategy object: the stages, run one after another.",
		fields: map[string]Field{
			"stages": {Doc: "The stages; at least one.", Required: true, Source: "fleet-manager.md section 2.1", AKS: "strategy.stages"},
		},
	},
	reflect.TypeFor[UpdateStage](): {
		doc: "An update stage: its groups run in parallel; the next stage starts when every member of this one is done, its after-stage wait has passed and its after-gates are complete.",
		fields: armMeta(map[string]Field{
			"name":   {Doc: "Name of the stage, unique in the strategy.", Required: true, Pattern: fleetNamePattern, Source: "fleet-manager.md section 2.1", AKS: "stages[].name"},
			"groups": {Doc: fmt.Sprintf("Update groups, run in parallel; 1 to %d, each group at most once in the strategy (member selectors, a preview, are not read).", MaxStageGroups), Source: "fleet-manager.md section 2.2", AKS: "stages[].groups"},
			"afterStageWaitInSeconds": {Doc: "Wait at the end of the stage before the next one starts; the last stage's delays nothing, not even the run's end (fleet-manager.md section 12 item 13).", Unit: "seconds", Min: ptr(0), Max: ptr(math.MaxInt32), Default: "0",
				Source: "fleet-manager.md section 3", AKS: "stages[].afterStageWaitInSeconds"},
			"maxConcurrency": {Doc: fmt.Sprintf("Most members of the stage upgrading at once, at most %d (a percentage of the stage's members, rounded down, at least 1).", MaxStageConcurrency),
				Pattern: concurrencyPattern, Default: "50", Source: "fleet-manager.md section 2.4", AKS: "stages[].maxConcurrency"},
			"maxAllowedFailures": {Doc: "Failed members the stage tolerates before the run stops; 0 stops at the first, the only value modelled.", Pattern: failuresPattern, Default: "0", Source: "fleet-manager.md section 5.4", AKS: "stages[].maxAllowedFailures"},
			"beforeGates":        fleetGate,
			"afterGates":         fleetGate,
		}),
	},
	reflect.TypeFor[UpdateGroup](): {
		doc: "An update group: the fleet members whose group is its name, upgraded one after another by default.",
		fields: armMeta(map[string]Field{
			"name": {Doc: "Name of the group, at most once in the strategy; members name it in their group.", Required: true, Pattern: fleetNamePattern, Source: "fleet-manager.md section 2.2", AKS: "groups[].name"},
			"maxConcurrency": {Doc: "Most members of the group upgrading at once: at most the stage's value and the group's member count (a percentage of the group's members, rounded down, at least 1).",
				Pattern: concurrencyPattern, Default: "1", Source: "fleet-manager.md section 2.4", AKS: "groups[].maxConcurrency"},
			"maxAllowedFailures": {Doc: "Failed members the group tolerates before the run stops; 0 stops at the first, the only value modelled.", Pattern: failuresPattern, Default: "0", Source: "fleet-manager.md section 5.4", AKS: "groups[].maxAllowedFailures"},
			"beforeGates":        fleetGate,
			"afterGates":         fleetGate,
		}),
	},
	reflect.TypeFor[GateConfiguration](): {
		doc: "A gate before or after a stage or group: an approval, complete when granted (policy.approvalDelay after the run reaches it), or a scheduled start (a preview, before only), complete at the next startDay startTime after the run reaches it.",
		fields: armMeta(map[string]Field{
			"displayName":                 {Doc: fmt.Sprintf("Name shown for the gate, at most %d characters.", maxGateName), AKS: "displayName"},
			"type":                        {Doc: "Kind of gate.", Required: true, Enum: gateTypes, FoldCase: true, Source: "fleet-manager.md section 4", AKS: "type"},
			"scheduledStartConfiguration": {Doc: "When a ScheduledStart gate completes; only with that type, and required by it.", Source: "fleet-manager.md section 4.2", AKS: "scheduledStartConfiguration"},
		}),
	},
	reflect.TypeFor[ScheduledStartConfiguration](): {
		doc: "When a ScheduledStart gate completes: the next startDay at startTime, at utcOffset, after the run reaches it.",
		fields: map[string]Field{
			"startDay":  {Doc: "Day of the week.", Required: true, Enum: weekdayNames(), FoldCase: true, Source: "fleet-manager.md section 4.2"},
			"startTime": {Doc: "Time of day, HH:MM at utcOffset.", Required: true, Pattern: aksClockPattern, Source: "fleet-manager.md section 4.2"},
			"utcOffset": {Doc: "Offset of startTime from UTC.", Required: true, Pattern: gateOffsetPattern, Source: "fleet-manager.md section 4.2"},
		},
	},
	reflect.TypeFor[AutoUpgradeProfile](): {
		doc: "An auto-upgrade profile: each new release of its channel starts a run of its update strategy (or of every member one by one without one). Its fields are at the top level (az fleet autoupgradeprofile show) or under properties (ARM GET), not both.",
		fields: armMeta(map[string]Field{
			"name":                    {Doc: "Name of the profile, unique in the scenario; required.", Pattern: fleetNamePattern, Source: "fleet-manager.md section 10"},
			"channel":                 {Doc: "Which releases trigger a run (required, here or under properties): NodeImage, each new node image; Stable, Rapid and TargetKubernetesVersion, each new Kubernetes patch of the channel. SecurityPatch (preview) is not modelled.", Enum: fleet.AutoUpgradeChannelNames(), FoldCase: true, Source: "fleet-manager.md section 7.2", AKS: "properties.channel"},
			"updateStrategyId":        {Doc: "The update strategy the runs follow, by ARM ID (ending /updateStrategies/NAME) or by name; absent, every member one by one.", Source: "fleet-manager.md section 7.1", AKS: "properties.updateStrategyId"},
			"nodeImageSelection":      {Doc: "How the runs pick node image versions. Absent: Latest for the Kubernetes channels; for NodeImage, every member gets the release that triggered the run, waiting until it reaches its region (assumption, fleet-manager.md section 12), where Latest and Consistent are what-ifs the CLI does not offer.", Source: "fleet-manager.md section 6", AKS: "properties.nodeImageSelection"},
			"disabled":                {Doc: "A disabled profile starts no run.", Default: "false", Source: "fleet-manager.md section 7.1", AKS: "properties.disabled"},
			"targetKubernetesVersion": {Doc: "The minor version of channel TargetKubernetesVersion, and only of it.", Pattern: minorVersionPattern, Source: "fleet-manager.md section 7.1", AKS: "properties.targetKubernetesVersion"},
			"longTermSupport":         {Doc: "Long-term support versions; only with channel TargetKubernetesVersion.", Default: "false", Source: "fleet-manager.md section 7.1", AKS: "properties.longTermSupport"},
			"properties":              {Doc: "The profile's ARM properties (ARM GET)."},
		}, "id", "type", "eTag", "resourceGroup", "systemData", "provisioningState", "autoUpgradeProfileStatus"),
	},
	reflect.TypeFor[AutoUpgradeProfileProperties](): {
		doc: "An auto-upgrade profile's ARM properties: the same fields as at the top level.",
		fields: armMeta(map[string]Field{
			"channel":                 {Doc: "Which releases trigger a run; required. SecurityPatch (preview) is not modelled.", Enum: fleet.AutoUpgradeChannelNames(), FoldCase: true, Source: "fleet-manager.md section 7.2"},
			"updateStrategyId":        {Doc: "The update strategy the runs follow, by ARM ID or name."},
			"nodeImageSelection":      {Doc: "How the runs pick node image versions."},
			"disabled":                {Doc: "A disabled profile starts no run.", Default: "false", Source: "fleet-manager.md section 7.1"},
			"targetKubernetesVersion": {Doc: "The minor version of channel TargetKubernetesVersion.", Pattern: minorVersionPattern, Source: "fleet-manager.md section 7.1"},
			"longTermSupport":         {Doc: "Long-term support versions; only with channel TargetKubernetesVersion.", Default: "false", Source: "fleet-manager.md section 7.1"},
		}, "provisioningState", "autoUpgradeProfileStatus"),
	},
	reflect.TypeFor[NodeImageSelection](): {
		doc: "How a run picks node image versions.",
		fields: map[string]Field{
			"type": {Doc: "Latest: the newest version in each member's region when its upgrade starts; Consistent: the newest version available in every member's region when the run starts.",
				Required: true, Enum: fleet.NodeImageSelectionNames(), FoldCase: true, Source: "fleet-manager.md section 6", AKS: "nodeImageSelection.type"},
		},
	},
}
