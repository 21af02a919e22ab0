package plan

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/internal/rfc5545"
	"github.com/patchsim/patchsim/window"
)

// reference documents every object type of a scenario file, field by
// field. Reference walks the types and takes each field's entry from here;
// a test fails when a field has no entry or an entry no field. Limits and
// names come from the constants and lists the checks use.
var reference = map[reflect.Type]objectDoc{
	reflect.TypeFor[Scenario](): {
		doc: "A scenario: the fleet, the content upstream, the horizon, and the variants to compare.",
		fields: map[string]Field{
			"name":        {Doc: "Name of the scenario, printed with every result."},
			"description": {Doc: "Free text."},
			"start":       {Doc: fmt.Sprintf("First simulated instant (RFC 3339, e.g. 2025-01-06T00:00:00Z, or a date for its midnight UTC); the content starts lookback earlier, no earlier than %d.", rfc5545.MinYear), Required: true},
			"horizon": {Doc: fmt.Sprintf("Simulated length, at most %s, ending no later than the year %d; 0 means the default.", dur(fleet.MaxHorizon), rfc5545.MaxYear),
				Default: dur(DefaultHorizon.D()), Source: "assumption"},
			"settle": {Doc: "Advisories published in the last settle of the run are left out of the exposure distributions (too little time to be remediated); they still count in vulnerable node-days and the past-SLA series. Below the horizon.",
				Default: "horizon/6", Source: "assumption"},
			"seed": {Doc: "Roots every random stream: the same seed gives the same output, whatever the number of cores.", Default: "0", Min: ptr(0), Source: "assumption"},
			"replications": {Doc: fmt.Sprintf("Simulated runs per variant; every variant of a replication sees the same upstream content. Variants times replications is at most %d.", MaxPairs),
				Default: strconv.Itoa(DefaultReplications), Min: ptr(1), Max: ptr(MaxReplications), ZeroDefault: true, Source: "assumption"},
			"sla":      {Doc: "Remediation target per severity, from the advisory's publication (also on a node created after it), for the within-SLA and past-SLA metrics."},
			"upstream": {Doc: "Overrides of the calibrated content model (advisories, node images, SecurityPatch snapshots, kernels) or traces that replace it."},
			"clusters": {Doc: "The fleet; at least one cluster.", Required: true},
			"fleetManager": {Doc: "Azure Kubernetes Fleet Manager's multi-cluster updates over the clusters: members in update groups, an update strategy and auto-upgrade profiles; absent, each cluster upgrades on its own.",
				Source: "fleet-manager.md section 13"},
			"variants":    {Doc: "Named overrides of the fleet, compared with each other; with none and no grid the scenario is one variant, \"baseline\"."},
			"grid":        {Doc: fmt.Sprintf("A sweep: one variant per combination of its axes (at most %d variants).", MaxVariants)},
			"objective":   {Doc: "The exposure and disruption metrics of the Pareto frontier and of the recommendation."},
			"constraints": {Doc: "Bounds on metric means that the recommended variant must meet."},
		},
	},
	reflect.TypeFor[SLA](): {
		doc: "The time within which an advisory of each severity should be remediated on every node.",
		fields: map[string]Field{
			"critical": slaField("critical", fleet.DefaultSLA().Critical),
			"high":     slaField("high", fleet.DefaultSLA().High),
			"medium":   slaField("medium", fleet.DefaultSLA().Medium),
			"low": {Doc: "SLA of low advisories; AKS and the usual policies set none, so the default only keeps the past-SLA series defined.",
				Default: dur(fleet.DefaultSLA().Low), Source: "assumption"},
		},
	},
	reflect.TypeFor[Upstream](): {
		doc: "Overrides of the calibrated content model (channel.DefaultConfig); every field is optional.",
		fields: map[string]Field{
			"expedite": {Doc: "Accelerated releases for urgent advisories (channel.Expedite): AKS documents accelerated rollouts for CVEs \"on a case by case basis\" and publishes nothing more, so every field is an assumption; absent: none. Not with history, which replays the real releases.",
				Source: "aks.md section 1.1; assumption"},
			"history": {Doc: "Replays a year of real AKS releases (channel.History): node images with their kernels, SecurityPatch snapshots with their new-kernel flags (2025 only) and kernel releases, with their real publication dates; start must lie in that year. Empty: the calibrated cadences.",
				Enum: historyYears(), Source: "data/aks-ubuntu2204-image-kernels-2024-2025.csv, data/aks-securitypatch-snapshots.csv"},
			"advisoryTrace": {Doc: "CSV of advisories that replaces the generated ones, relative to the scenario file: rows id, published, severity, class[, os], or a headed file in the shape of data/ubuntu-usn-jammy-2024-podcast.csv, or with a cvss column of base scores read as CVSS v3.1 bands (channel.ReadAdvisories).",
				Source: "data/ubuntu-usn-jammy-2024-podcast.csv"},
			"nodeImageTrace": {Doc: "CSV of node image versions and dates, in the shape of data/aks-node-image-releases-2024.csv, replayed instead of the generated node image cadence; relative to the scenario file. With a kernel column (data/aks-ubuntu2204-image-kernels-2024-2025.csv) its kernels replace the generated kernel cadence too.",
				Source: "data/aks-node-image-releases-2024.csv"},
			"userspacePerYear": {Doc: "Rates of userspace advisories per severity.", Unit: "advisories per year",
				Default: perSeverity(channel.DefaultConfig().Userspace), Source: "data/ubuntu-usn-jammy-2024-podcast.csv, scaled by channel.USNCoverage and filtered by channel.NodePackages (both assumptions)"},
			"kernelEvery": {Doc: "Mean time between linux-azure kernel releases.", Positive: true, AtLeast: Duration(channel.MinMeanGap),
				Default: dur(channel.DefaultConfig().Kernels.Period), Source: "aks.md section 6.2"},
			"nodeImageMeanGap": {Doc: "Mean time between Linux node image releases.", Positive: true, AtLeast: Duration(channel.MinMeanGap),
				Default: dur(channel.DefaultConfig().NodeImages.Cadence.MeanGap), Source: "data/aks-node-image-releases-2024.csv"},
			"securityPatchMeanGap": {Doc: "Mean time between SecurityPatch snapshots.", Positive: true, AtLeast: Duration(channel.MinMeanGap),
				Default: dur(channel.DefaultConfig().SecurityPatches.Cadence.MeanGap), Source: "data/aks-securitypatch-snapshots.csv"},
			"nodeImageRollout": {Doc: "Longest delay between a node image's publication and its arrival in a region.",
				Default: dur(channel.DefaultConfig().NodeImages.Rollout), Source: "aks.md section 1.1"},
			"securityPatchRollout": {Doc: "Longest delay between a SecurityPatch snapshot's publication and its arrival in a region.",
				Default: dur(channel.DefaultConfig().SecurityPatches.Rollout), Source: "assumption (aks.md section 1.1)"},
			"kubernetesEvery": {Doc: "Period of Kubernetes patch releases.", Positive: true, AtLeast: Duration(channel.MinMeanGap),
				Default: dur(channel.DefaultConfig().Kubernetes.Cadence.Period), Source: "assumption"},
			"lookback": {Doc: fmt.Sprintf("How long before start the content begins, so that nodes start on real releases; at most %v, and start minus lookback no earlier than %d.", MaxLookback, rfc5545.MinYear),
				Default: DefaultLookback.String(), Source: "assumption"},
		},
	},
	reflect.TypeFor[PerSeverity](): {
		doc: "One number per advisory severity.",
		fields: map[string]Field{
			"critical": {Doc: "Critical advisories.", Min: ptr(0)},
			"high":     {Doc: "High advisories.", Min: ptr(0)},
			"medium":   {Doc: "Medium advisories.", Min: ptr(0)},
			"low":      {Doc: "Low advisories.", Min: ptr(0)},
		},
	},
	reflect.TypeFor[Cluster](): {
		doc: "One AKS cluster: its region, its auto-upgrade channels, its maintenance windows and its node pools, upgraded one after another in the order given.",
		fields: map[string]Field{
			"name":   {Doc: "Name of the cluster, unique in the scenario.", Required: true},
			"region": {Doc: "Azure region; releases reach regions at different times.", Required: true, AKS: "location"},
			"nodeOSUpgradeChannel": {Doc: "What the nodes get and how: nothing, nightly packages, security snapshots (live patch or reimage) or the newest node image.",
				Enum: channel.NodeOSChannelNames(), FoldCase: true, Default: channel.NodeOSNodeImage.String(), Source: "aks.md section 1.1", AKS: "autoUpgradeProfile.nodeOSUpgradeChannel"},
			"upgradeChannel": {Doc: "Cluster auto-upgrade channel; a Kubernetes upgrade also reimages the nodes, and node-image forces nodeOSUpgradeChannel NodeImage.",
				Enum: channel.ClusterChannelNames(), FoldCase: true, Default: channel.ClusterNone.String(), Source: "aks.md section 2", AKS: "autoUpgradeProfile.upgradeChannel"},
			"windowsFallback": {Doc: "The channel Windows pools follow under SecurityPatch, which AKS does not support on Windows; empty makes that combination an error, and setting it is reported as an assumption.",
				Enum: channel.NodeOSChannelNames(), FoldCase: true, Source: "assumption (aks.md section 1.5)"},
			"maintenanceConfigurations": {Doc: "Planned maintenance configurations as az aks maintenanceconfiguration show prints them, each with its name.",
				Source: "aks.md section 3", AKS: "maintenanceConfigurations"},
			"policy":         {Doc: "How rollouts honour the windows; the zero value is AKS's documented behaviour.", Source: "aks.md section 3.3"},
			"kured":          {Doc: "The kured reboot daemon, which reboots Unmanaged nodes that wait for a new kernel; absent means no reboots.", Source: "aks.md section 1.2"},
			"channelChanges": {Doc: "Node OS channel changes during the run, in time order.", Source: "aks.md section 1.4"},
			"pools":          {Doc: "Node pools, upgraded in this order; at least one.", Required: true, AKS: "agentPoolProfiles"},
		},
	},
	reflect.TypeFor[window.MaintenanceConfiguration](): {
		doc: "An AKS planned maintenance configuration (API 2025-10-01), in the shape az aks maintenanceconfiguration show prints.",
		fields: map[string]Field{
			"name": {Doc: "Which work the configuration governs: default (AKS weekly releases), aksManagedAutoUpgradeSchedule (cluster channel), aksManagedNodeOSUpgradeSchedule (node OS channel).",
				Required: true, Enum: []string{window.NameNodeOSUpgrade, window.NameAutoUpgrade, window.NameDefault}, Source: "aks.md section 3.1", AKS: "name"},
			"timeInWeek":        {Doc: "Legacy weekly slots (default configuration only).", AKS: "properties.timeInWeek", Source: "aks.md section 3.2"},
			"notAllowedTime":    {Doc: "Legacy blackouts (default configuration only).", AKS: "properties.notAllowedTime", Source: "aks.md section 3.2"},
			"maintenanceWindow": {Doc: "The window; required unless the legacy timeInWeek is given.", AKS: "properties.maintenanceWindow", Source: "aks.md section 3.2"},
		},
	},
	reflect.TypeFor[window.TimeInWeek](): {
		doc: "A legacy weekly slot set: on day, each hour h of hourSlots is [h:00, h+1:00) UTC.",
		fields: map[string]Field{
			"day":       {Doc: "Day of the week.", Required: true, Enum: weekdayNames(), AKS: "timeInWeek[].day"},
			"hourSlots": {Doc: "Hours of the day (UTC); none means the whole day.", Min: ptr(0), Max: ptr(23), AKS: "timeInWeek[].hourSlots"},
		},
	},
	reflect.TypeFor[window.TimeSpan](): {
		doc: "A legacy blackout [start, end) of RFC 3339 instants.",
		fields: map[string]Field{
			"start": {Doc: "First blocked instant (RFC 3339).", Required: true, Format: "date-time"},
			"end":   {Doc: "End of the blackout (RFC 3339), not before start.", Required: true, Format: "date-time"},
		},
	},
	reflect.TypeFor[window.MaintenanceWindow](): {
		doc: "ARM's maintenanceWindow; every time is on the fixed offset utcOffset (no daylight saving).",
		fields: map[string]Field{
			"schedule": {Doc: "The recurrence: exactly one of daily, weekly, absoluteMonthly, relativeMonthly.", Required: true, AKS: "maintenanceWindow.schedule"},
			"durationHours": {Doc: "Length of the window.", Unit: "hours", Required: true, Min: ptr(window.MinDurationHours), Max: ptr(window.MaxDurationHours),
				Source: "aks.md section 3.2", AKS: "maintenanceWindow.durationHours"},
			"utcOffset": {Doc: "Offset of the window's times from UTC.", Pattern: utcOffsetPattern, Default: "+00:00",
				Source: "aks.md section 3.2", AKS: "maintenanceWindow.utcOffset"},
			"startDate": {Doc: "First day the window may open (YYYY-MM-DD).", Format: "date", Default: "the scenario's start", Source: "aks.md section 3.2",
				AKS: "maintenanceWindow.startDate"},
			"startTime": {Doc: "Opening time of day, HH:MM at utcOffset.", Required: true, Pattern: aksClockPattern,
				Source: "aks.md section 3.2", AKS: "maintenanceWindow.startTime"},
			"notAllowedDates": {Doc: "Blackout date spans at utcOffset, both days inclusive.", Source: "aks.md section 3.2", AKS: "maintenanceWindow.notAllowedDates"},
		},
	},
	reflect.TypeFor[window.Recurrence](): {
		doc:        "ARM's schedule: exactly one field is set.",
		exactlyOne: true,
		fields: map[string]Field{
			"daily":           {Doc: "Every intervalDays days.", AKS: "schedule.daily"},
			"weekly":          {Doc: "On dayOfWeek every intervalWeeks weeks.", AKS: "schedule.weekly"},
			"absoluteMonthly": {Doc: "On dayOfMonth every intervalMonths months; months without that day have no window.", AKS: "schedule.absoluteMonthly"},
			"relativeMonthly": {Doc: "On the weekIndex dayOfWeek every intervalMonths months.", AKS: "schedule.relativeMonthly"},
		},
	},
	reflect.TypeFor[window.DailySchedule](): {
		doc: "A daily recurrence.",
		fields: map[string]Field{
			"intervalDays": {Doc: "Days between windows.", Unit: "days", Required: true, Min: ptr(1), Max: ptr(window.MaxIntervalDays), Source: "aks.md section 3.2", AKS: "schedule.daily.intervalDays"},
		},
	},
	reflect.TypeFor[window.WeeklySchedule](): {
		doc: "A weekly recurrence.",
		fields: map[string]Field{
			"intervalWeeks": {Doc: "Weeks between windows.", Unit: "weeks", Required: true, Min: ptr(1), Max: ptr(window.MaxIntervalWeeks), Source: "aks.md section 3.2", AKS: "schedule.weekly.intervalWeeks"},
			"dayOfWeek":     {Doc: "Day of the window.", Required: true, Enum: weekdayNames(), AKS: "schedule.weekly.dayOfWeek"},
		},
	},
	reflect.TypeFor[window.AbsoluteMonthlySchedule](): {
		doc: "A monthly recurrence on a day of the month.",
		fields: map[string]Field{
			"intervalMonths": {Doc: "Months between windows.", Unit: "months", Required: true, Min: ptr(1), Max: ptr(window.MaxIntervalMonths), Source: "aks.md section 3.2", AKS: "schedule.absoluteMonthly.intervalMonths"},
			"dayOfMonth":     {Doc: "Day of the month.", Required: true, Min: ptr(1), Max: ptr(31), AKS: "schedule.absoluteMonthly.dayOfMonth"},
		},
	},
	reflect.TypeFor[window.RelativeMonthlySchedule](): {
		doc: "A monthly recurrence on a weekday of the month.",
		fields: map[string]Field{
			"intervalMonths": {Doc: "Months between windows.", Unit: "months", Required: true, Min: ptr(1), Max: ptr(window.MaxIntervalMonths), Source: "aks.md section 3.2", AKS: "schedule.relativeMonthly.intervalMonths"},
			"dayOfWeek":      {Doc: "Day of the window.", Required: true, Enum: weekdayNames(), AKS: "schedule.relativeMonthly.dayOfWeek"},
			"weekIndex":      {Doc: "Which of the month's dayOfWeek.", Required: true, Enum: window.WeekIndexes(), AKS: "schedule.relativeMonthly.weekIndex"},
		},
	},
	reflect.TypeFor[window.DateSpan](): {
		doc: "A blackout of whole days at the window's utcOffset: [start 00:00, end+1 day 00:00).",
		fields: map[string]Field{
			"start": {Doc: "First blocked day (YYYY-MM-DD).", Required: true, Format: "date"},
			"end":   {Doc: "Last blocked day (YYYY-MM-DD), not before start.", Required: true, Format: "date"},
		},
	},
	reflect.TypeFor[Policy](): {
		doc: "How rollouts honour maintenance windows. The zero value is AKS's current documented behaviour: work starts only inside a window, the pool in flight finishes after it closes, later pools wait for the next window, and a release that arrives while the window is open leads to a second pass.",
		fields: map[string]Field{
			"catchUp":    {Doc: "Work a window left undone starts outside windows after retryDelay (the older catch-up upgrade rule).", Default: "false", Source: "aks.md section 3.3"},
			"retryDelay": {Doc: "Time after a failed or deferred operation before a catch-up starts.", Default: dur(fleet.DefaultWindowPolicy().RetryDelay), Source: "assumption"},
			"onePass":    {Doc: "At most one pass per window; by default a release that becomes available while the window is still open leads to a second pass, as the FAQ documents.", Default: "false", Source: "aks.md section 3.3"},
			"noWindowCadence": {Doc: "How often AKS upgrades a cluster that has no window for the work (weekly per the channel docs, biweekly per the Architecture Center); random phase per cluster.",
				Default: dur(fleet.DefaultWindowPolicy().NoWindowCadence), Source: "aks.md section 3.4"},
			"securityPatchCadence": {Doc: "How often AKS applies SecurityPatch to a cluster without a node OS window (\"typically faster than weekly\"), from a random phase.",
				Default: dur(fleet.DefaultWindowPolicy().SecurityPatchCadence), Source: "assumption (aks.md section 3.4)"},
			"refuse24h": {Doc: "Refuse a pool operation estimated over 24 hours; the refusal counts as a failed operation.", Default: "false", Source: "aks.md section 3.3"},
		},
	},
	reflect.TypeFor[Kured](): {
		doc: "The kured reboot daemon for Unmanaged nodes: each node checks for a pending reboot every period; concurrency nodes reboot at a time, each drained first, inside the reboot window.",
		fields: map[string]Field{
			"period":      {Doc: "Time between a node's checks for a pending reboot.", Default: dur(fleet.DefaultKured().Period), Source: "aks.md section 1.2"},
			"concurrency": {Doc: "Nodes rebooting at once.", Unit: "nodes", Min: ptr(0), Default: strconv.Itoa(fleet.DefaultKured().Concurrency), Source: "aks.md section 1.2"},
			"rebootDays": {Doc: "Days of kured's reboot window (--reboot-days); with startTime and endTime all empty, always.",
				Enum: weekdayNames(), FoldCase: true, Aliases: weekdayAbbrevs()},
			"startTime": {Doc: "Start of the reboot window, HH:MM in timeZone.", Pattern: startClockPattern, Default: "00:00", Source: "planning-peers.md section 1.4"},
			"endTime":   {Doc: "End of the reboot window, HH:MM in timeZone, up to 24:00; before startTime, the window crosses midnight.", Pattern: endClockPattern, Default: "24:00", Source: "planning-peers.md section 1.4"},
			"timeZone":  {Doc: "IANA time zone of the reboot window, e.g. Europe/Paris.", Default: "UTC", Source: "planning-peers.md section 1.4"},
			"reboot":    {Doc: "Time to reboot and rejoin.", Default: distString(fleet.DefaultKured().Reboot), Source: "assumption"},
		},
	},
	reflect.TypeFor[ChannelChange](): {
		doc: "A switch of the cluster's node OS channel during the run. It takes effect after a delay drawn from [0, delay); a change into or out of Unmanaged reimages every pool.",
		fields: map[string]Field{
			"at":                      {Doc: "When the change is requested (RFC 3339), inside the run and not before the previous change.", Required: true},
			"to":                      {Doc: "The new node OS channel.", Required: true, Enum: channel.NodeOSChannelNames(), FoldCase: true, AKS: "autoUpgradeProfile.nodeOSUpgradeChannel"},
			"delay":                   {Doc: "Longest time until the change takes effect (\"allow up to 24 hours\").", Default: dur(channel.MaxChangeDelay), Source: "aks.md section 1.4"},
			"legacyAnyChangeReimages": {Doc: "Apply the older documented rule: every channel change reimages.", Default: "false", Source: "aks.md section 1.4"},
		},
	},
	reflect.TypeFor[Pool](): {
		doc: "One node pool.",
		fields: map[string]Field{
			"name": {Doc: "Name of the pool, unique in its cluster.", Required: true, AKS: "agentPoolProfiles[].name"},
			"count": {Doc: "Nodes in the pool (a scale set holds at most 1,000).", Unit: "nodes", Required: true, Min: ptr(1), Max: ptr(fleet.MaxPoolNodes),
				Source: "aks.md section 4.1", AKS: "agentPoolProfiles[].count"},
			"mode":            {Doc: "System or User pool; System pools allow no maxUnavailable.", Enum: poolModes(), FoldCase: true, Default: "User", Source: "aks.md section 4.1", AKS: "agentPoolProfiles[].mode"},
			"osType":          {Doc: "Operating system of the nodes.", Enum: channel.OSNames(), FoldCase: true, Default: channel.OSLinux.String(), Source: "assumption", AKS: "agentPoolProfiles[].osType"},
			"podsPerNode":     {Doc: "Pods evicted per node drain, for the evictions metric.", Unit: "pods", Min: ptr(0), Default: "0", Source: "assumption"},
			"upgradeSettings": {Doc: "Rollout settings as ARM writes them; empty fields take the AKS defaults.", Source: "aks.md section 4.1", AKS: "agentPoolProfiles[].upgradeSettings"},
			"pdb":             {Doc: "Pod disruption budgets that block drains; absent never blocks.", Source: "aks.md section 4.2"},
			"durations":       {Doc: "Time distributions of the rollout steps; absent fields take the defaults.", Source: "aks.md section 4.3"},
			"initial":         {Doc: "Every node's content at start; absent means the newest release of the pool's feed."},
			"initialNodes":    {Doc: "Each node's content at start, one entry per node (as an import writes it); overrides initial."},
			"image": {Doc: "The pool's node image version at start: what a node the autoscaler adds boots from until a rollout or a SecurityPatch live patch updates it; absent means the content of initial.",
				Source: "aks.md section 11.3", AKS: "agentPoolProfiles[].nodeImageVersion"},
			"autoscale": {Doc: "Let the cluster autoscaler size the pool between min and max after a weekly demand profile; count is then the size at start. Absent keeps count nodes.",
				Source: "aks.md section 11", AKS: "agentPoolProfiles[].enableAutoScaling"},
		},
	},
	reflect.TypeFor[Autoscale](): {
		doc: "The cluster autoscaler on a pool: it adds the nodes the demand lacks (they join after the provisioning time, booting the pool's image) and removes ready surplus nodes once unneeded for scaleDownUnneededTime, never within scaleDownDelayAfterAdd of a join.",
		fields: map[string]Field{
			"min": {Doc: "Fewest nodes (AKS allows 0 on a user pool; the model keeps one).", Unit: "nodes", Required: true, Min: ptr(1), Max: ptr(fleet.MaxPoolNodes),
				Source: "aks.md section 11.1", AKS: "agentPoolProfiles[].minCount"},
			"max": {Doc: "Most nodes, at least min and count.", Unit: "nodes", Required: true, Min: ptr(1), Max: ptr(fleet.MaxPoolNodes),
				Source: "aks.md section 11.1", AKS: "agentPoolProfiles[].maxCount"},
			"profile": {Doc: "The demand in nodes over the week; absent asks for none, so the pool stays at min.", Source: "assumption"},
			"scaleDownUnneededTime": {Doc: "How long a node is unneeded before it is removed.", ZeroDefault: true,
				Default: dur(fleet.DefaultAutoscale().ScaleDownUnneeded), Source: "aks.md section 11.1", AKS: "autoScalerProfile.scale-down-unneeded-time"},
			"scaleDownDelayAfterAdd": {Doc: "No node is removed this long after nodes joined.", ZeroDefault: true,
				Default: dur(fleet.DefaultAutoscale().ScaleDownDelayAfterAdd), Source: "aks.md section 11.1", AKS: "autoScalerProfile.scale-down-delay-after-add"},
			"remove": {Doc: "Which surplus node goes first: the newest (the autoscaler removes the least used nodes, most often the newest) or the oldest.",
				Enum: fleet.RemovalOrderNames(), FoldCase: true, Default: fleet.RemoveNewest.String(), Source: "assumption (aks.md section 11.2)"},
			"lifetime": {Doc: "How long a node lives before it is evicted or expires (spot, Karpenter-style expiry); the autoscaler then replaces it if needed. Absent: nodes live until scaled down. Its min (so every lifetime) is at least 1 hour: spot evictions and node expiry come hours to days after a node joins, and a run's time grows with the nodes that lifetimes create.",
				AtLeast: Duration(fleet.MinNodeLifetime), Source: "assumption"},
		},
	},
	reflect.TypeFor[Profile](): {
		doc: "A pool's demand over the week, in nodes: peak during [start, end) of each peak day (UTC), base otherwise; the autoscaler keeps the pool at the demand within [min, max].",
		fields: map[string]Field{
			"base":  {Doc: "Nodes demanded outside the peak hours.", Unit: "nodes", Min: ptr(0), Default: "0", Source: "assumption"},
			"peak":  {Doc: "Nodes demanded in the peak hours.", Unit: "nodes", Min: ptr(0), Default: "0", Source: "assumption"},
			"days":  {Doc: "The peak days.", Enum: weekdayNames(), Aliases: weekdayAbbrevs(), FoldCase: true, Default: "[Monday, Tuesday, Wednesday, Thursday, Friday]", Source: "assumption"},
			"start": {Doc: "Start of the peak hours, as a time of day in UTC (\"8h\" is 08:00); with an end and no start, midnight.", ZeroDefault: true, Default: "8h (with end 18h)", Source: "assumption"},
			"end":   {Doc: "End of the peak hours, after start, at most \"24h\".", ZeroDefault: true, Default: "18h", Source: "assumption"},
		},
	},
	reflect.TypeFor[UpgradeSettings](): {
		doc: "A pool's AKS upgradeSettings, as ARM writes them; empty fields take the AKS defaults. In a variant, the set fields replace every pool's.",
		fields: map[string]Field{
			"maxSurge": {Doc: "Surge nodes added during a rollout: a node count or a percentage of the pool, rounded up.", Pattern: quantityPattern,
				Default: fleet.DefaultUpgradeSettings().MaxSurge.String(), Source: "aks.md section 4.1", AKS: "upgradeSettings.maxSurge"},
			"maxUnavailable": {Doc: "Existing nodes taken down at once beyond those the surge nodes stand in for: a node count or a percentage of the pool; not on System pools.", Pattern: quantityPattern,
				Default: fleet.DefaultUpgradeSettings().MaxUnavailable.String(), Source: "aks.md section 4.1", AKS: "upgradeSettings.maxUnavailable"},
			"maxBlockedNodes": {Doc: "Undrainable nodes Cordon tolerates, at least maxSurge.", Pattern: quantityPattern,
				Default: "same as maxSurge", Source: "aks.md section 4.1", AKS: "upgradeSettings.maxBlockedNodes"},
			"drainTimeoutInMinutes": {Doc: "Longest drain of a node, PDBs included; then undrainableNodeBehavior applies.", Unit: "minutes",
				Min: ptr(float64(fleet.MinDrainTimeout / time.Minute)), Max: ptr(float64(fleet.MaxDrainTimeout / time.Minute)), ZeroDefault: true,
				Default: strconv.Itoa(int(fleet.DefaultUpgradeSettings().DrainTimeout / time.Minute)), Source: "aks.md section 4.1", AKS: "upgradeSettings.drainTimeoutInMinutes"},
			"nodeSoakDurationInMinutes": {Doc: "Wait after draining a node and before reimaging it.", Unit: "minutes",
				Min: ptr(0), Max: ptr(float64(fleet.MaxNodeSoak / time.Minute)), Default: "0", Source: "aks.md section 4.1", AKS: "upgradeSettings.nodeSoakDurationInMinutes"},
			"undrainableNodeBehavior": {Doc: "What happens to a node whose drain exceeds the timeout: Schedule leaves it on its old image and upgrades the others; Cordon quarantines it and keeps a surge node in its place. Either way the operation ends failed (canceled under Cordon when blocked nodes outnumber surge nodes).",
				Enum: fleet.UndrainableNames(), FoldCase: true, Default: fleet.UndrainableSchedule.String(), Source: "aks.md section 4.1", AKS: "upgradeSettings.undrainableNodeBehavior"},
		},
	},
	reflect.TypeFor[Expedite](): {
		doc: "An accelerated release path for urgent fixes: advisories of severity or more severe get, with probability probability, a release of their own within within of their publication, in each stream of streams; it then rolls out like the stream's other releases. Every field is an assumption.",
		fields: map[string]Field{
			"severity":    {Doc: "The least severe severity expedited.", Required: true, Enum: channel.SeverityNames(), FoldCase: true, Source: "assumption"},
			"probability": {Doc: "Share of those advisories that get an expedited release.", Required: true, Min: ptr(0), Max: ptr(1), Source: "assumption"},
			"within":      {Doc: "The expedited release follows the advisory's publication by a time drawn uniformly up to this.", Default: "0s", Source: "assumption"},
			"streams":     {Doc: "The streams that expedite.", Enum: []string{"SecurityPatch", "NodeImage"}, FoldCase: true, Default: "[SecurityPatch]", Source: "assumption"},
		},
	},
	reflect.TypeFor[PDB](): {
		doc: "Pod disruption budgets that block drains: with probability probability a node's drain is held for an extra time drawn from block.",
		fields: map[string]Field{
			"probability": {Doc: "Chance that a drain is blocked.", Min: ptr(0), Max: ptr(1), Default: "0", Source: "assumption"},
			"block":       {Doc: "Extra drain time when blocked.", Source: "assumption"},
			"strictNodes": {Doc: "Indexes (from 0) of pool nodes whose drains never complete: a budget allows no disruption.", Min: ptr(0), Source: "aks.md section 4.2"},
		},
	},
	reflect.TypeFor[Durations](): {
		doc: "Time distributions of rollout steps. AKS publishes no figures; every default is an assumption from the anecdotes of aks.md section 4.3.",
		fields: map[string]Field{
			"provision":         {Doc: "A surge node becomes ready.", Default: distString(fleet.DefaultDurations().Provision), Source: "assumption (aks.md section 4.3)"},
			"drain":             {Doc: "Cordon and drain a node that no PDB blocks.", Default: distString(fleet.DefaultDurations().Drain), Source: "assumption"},
			"reimage":           {Doc: "Reimage and rejoin a drained node.", Default: distString(fleet.DefaultDurations().Reimage), Source: "assumption (aks.md section 4.3)"},
			"reboot":            {Doc: "Reboot and rejoin (kured).", Default: distString(fleet.DefaultDurations().Reboot), Source: "assumption"},
			"quarantineCleanup": {Doc: "Time an operator takes to delete a quarantined node (Cordon).", Default: dur(fleet.DefaultDurations().QuarantineCleanup), Source: "assumption"},
		},
	},
	reflect.TypeFor[Dist](): {
		doc: "A triangular distribution of durations on [min, max] with its peak at mode; min = max is a fixed duration, and all three zero (or absent) take the field's default.",
		fields: map[string]Field{
			"min":  {Doc: "Shortest duration."},
			"mode": {Doc: "Most likely duration, from min to max."},
			"max":  {Doc: "Longest duration, at least mode."},
		},
	},
	reflect.TypeFor[NodeState](): {
		doc: "A node's content: the cut of its installed packages and of its running kernel (every advisory published at or before a cut is fixed).",
		fields: map[string]Field{
			"name":             {Doc: "Node name (informational; an import writes it)."},
			"nodeImageVersion": {Doc: "Node image version (informational; an import writes it).", Source: "aks.md section 5", AKS: "kubernetes.azure.com/node-image-version"},
			"userspace":        {Doc: "Cut of the installed packages (RFC 3339); required in initialNodes and whenever kernel is set."},
			"kernel":           {Doc: "Cut of the running kernel (RFC 3339).", Default: "same as userspace", Source: "assumption"},
		},
	},
	reflect.TypeFor[Variant](): {
		doc: "Named overrides applied to the scenario's clusters (all, or those named in clusters); empty fields leave the scenario's value.",
		fields: map[string]Field{
			"name":                      {Doc: "Name of the variant, unique in the scenario.", Required: true},
			"clusters":                  {Doc: "Clusters the overrides apply to; empty means all."},
			"nodeOSUpgradeChannel":      {Doc: "Replaces the clusters' node OS channel.", Enum: channel.NodeOSChannelNames(), FoldCase: true, AKS: "autoUpgradeProfile.nodeOSUpgradeChannel"},
			"upgradeChannel":            {Doc: "Replaces the clusters' cluster channel.", Enum: channel.ClusterChannelNames(), FoldCase: true, AKS: "autoUpgradeProfile.upgradeChannel"},
			"windowsFallback":           {Doc: "Replaces the clusters' windowsFallback.", Enum: channel.NodeOSChannelNames(), FoldCase: true},
			"nodeOSMaintenanceWindow":   {Doc: "Replaces the aksManagedNodeOSUpgradeSchedule window.", AKS: "maintenanceWindow"},
			"noNodeOSMaintenanceWindow": {Doc: "Removes the aksManagedNodeOSUpgradeSchedule window (AKS then picks its own cadence).", Default: "false"},
			"upgradeSettings":           {Doc: "Set fields replace every pool's.", AKS: "upgradeSettings"},
			"policy":                    {Doc: "Replaces the clusters' policy."},
			"kured":                     {Doc: "Replaces the clusters' kured."},
			"noKured":                   {Doc: "Removes kured.", Default: "false"},
			"updateStrategy":            {Doc: "Replaces the Fleet Manager update strategy (stages, groups, waits, gates), under the same name; stageOrder and afterStageWaitInSeconds then apply to it.", Source: "fleet-manager.md section 2"},
			"stageOrder":                {Doc: "Runs the Fleet Manager update strategy's stages in this order, each stage named once. A stage moves whole: its wait, gates and groups stay with it, so [prod, canary, test] on test (1 d wait), canary (3 d), prod (none) waits none after prod, 3 d after canary, and test's 1 d, now last, delays nothing.", Source: "fleet-manager.md section 2.1"},
			"afterStageWaitInSeconds": {Doc: "Replaces every Fleet Manager stage's wait, the last stage's too, which delays nothing (not even the run's end, fleet-manager.md section 12 item 13).", Unit: "seconds", Min: ptr(0), Max: ptr(math.MaxInt32),
				Source: "fleet-manager.md section 3", AKS: "stages[].afterStageWaitInSeconds"},
			"nodeImageSelection": {Doc: "Replaces every Fleet Manager auto-upgrade profile's node image selection (on a NodeImage profile a what-if: Azure always uses consistent images there).", Enum: fleet.NodeImageSelectionNames(), FoldCase: true,
				Source: "fleet-manager.md section 6", AKS: "nodeImageSelection.type"},
		},
	},
	reflect.TypeFor[Grid](): {
		doc: "A sweep: the scenario as it is (the variant \"baseline\", always first), then one variant per combination of the non-empty axes, the last varying fastest. The window axes change only their own field of each cluster's aksManagedNodeOSUpgradeSchedule window, which keeps its utcOffset, interval, startDate, notAllowedDates and minutes; a cluster without that window gets one, weekly on Sunday at 00:00 UTC for 4 hours, before the axes apply.",
		fields: map[string]Field{
			"clusters":             {Doc: "Clusters the variants apply to, in the order windowStagger counts them; empty means all, in the scenario's order."},
			"nodeOSUpgradeChannel": {Doc: "Node OS channels; an empty one keeps each cluster's.", Enum: channel.NodeOSChannelNames(), FoldCase: true, EmptyItem: true, AKS: "autoUpgradeProfile.nodeOSUpgradeChannel"},
			"windowDay": {Doc: "Weekday of the window (of a weekly or relativeMonthly schedule; a daily or absoluteMonthly one becomes weekly on that day).",
				Enum: weekdayNames(), FoldCase: true, Aliases: weekdayAbbrevs(), AKS: "schedule.weekly.dayOfWeek"},
			"windowStartHour": {Doc: "Start hour of the window, at its utcOffset.", Unit: "hour of day", Min: ptr(0), Max: ptr(23), AKS: "maintenanceWindow.startTime"},
			"windowDurationHours": {Doc: "Length of the window.", Unit: "hours", Min: ptr(window.MinDurationHours), Max: ptr(window.MaxDurationHours),
				Source: "aks.md section 3.2", AKS: "maintenanceWindow.durationHours"},
			"windowStagger": {Doc: fmt.Sprintf("Ring rollouts: cluster i's window moves i x the step later in local time (whole minutes, at most %s); past midnight it moves the day of a weekly or absoluteMonthly window.", maxStagger)},
			"maxSurge":      {Doc: "Every pool's maxSurge; an empty one keeps each pool's.", Pattern: quantityPattern, EmptyItem: true, AKS: "upgradeSettings.maxSurge"},
			"nodeSoakDurationInMinutes": {Doc: "Every pool's soak time.", Unit: "minutes", Min: ptr(0), Max: ptr(float64(fleet.MaxNodeSoak / time.Minute)),
				Source: "aks.md section 4.1", AKS: "upgradeSettings.nodeSoakDurationInMinutes"},
			"stageOrder": {Doc: "Orders of the Fleet Manager update strategy's stages, each the stages' names comma-separated (\"test,canary,prod\"), every stage once. A stage moves whole, with its own wait and gates (as a variant's stageOrder).", Source: "fleet-manager.md section 2.1"},
			"afterStageWaitInSeconds": {Doc: "Waits set on every Fleet Manager stage, the last stage's too, which delays nothing (not even the run's end, so not a run queued behind it; fleet-manager.md section 12 item 13).", Unit: "seconds", Min: ptr(0), Max: ptr(math.MaxInt32),
				Source: "fleet-manager.md section 3", AKS: "stages[].afterStageWaitInSeconds"},
			"nodeImageSelection": {Doc: "Node image selections set on every Fleet Manager auto-upgrade profile (on a NodeImage profile a what-if: Azure always uses consistent images there).", Enum: fleet.NodeImageSelectionNames(), FoldCase: true,
				Source: "fleet-manager.md section 6", AKS: "nodeImageSelection.type"},
		},
	},
	reflect.TypeFor[Objective](): {
		doc: "The metrics of the Pareto frontier and of the recommendation: exposure against disruption, both minimised.",
		fields: map[string]Field{
			"exposure":   {Doc: "The exposure metric; the recommendation minimises it, so it is one that is better when lower.", Enum: metricKeys(), EnumName: "metric keys (patchsim metrics)", Default: DefaultExposure, Source: "assumption"},
			"disruption": {Doc: "The disruption metric, minimised on the frontier: one that is better when lower.", Enum: metricKeys(), EnumName: "metric keys (patchsim metrics)", Default: DefaultDisruption, Source: "assumption"},
		},
	},
	reflect.TypeFor[Constraint](): {
		doc: "A bound on one metric's mean for the recommendation; at least one of max and min.",
		fields: map[string]Field{
			"metric": {Doc: "The metric.", Required: true, Enum: metricKeys(), EnumName: "metric keys (patchsim metrics)"},
			"max":    {Doc: "Largest mean allowed, in the metric's unit."},
			"min":    {Doc: "Smallest mean allowed, in the metric's unit."},
		},
	},
}

// quantityPattern is a node count ("3") or a percentage up to 100% ("33%"),
// as fleet.ParseQuantity reads it and fleet's Validate bounds it; a test
// holds it to them.
const quantityPattern = `^([0-9]+|0*([0-9]{1,2}|100)%)$`

// patternWords says each pattern in words, for the reference.
var patternWords = map[string]string{
	quantityPattern:   "a node count, or a percentage of the pool up to 100%",
	startClockPattern: "H:MM or HH:MM, 0:00 to 23:59",
	endClockPattern:   "H:MM or HH:MM, 0:00 to 24:00",
	aksClockPattern:   "HH:MM, 00:00 to 23:59",
	utcOffsetPattern:  "+hh:mm or -hh:mm, -12:00 to +14:00",
}

// Times of day as window.ParseClock reads them: H:MM or HH:MM up to 23:59,
// or 24:00 for the end of a window; AKS's startTime takes exactly HH:MM.
// A test holds them to the parsers.
const (
	startClockPattern = `^([01]?[0-9]|2[0-3]):[0-5][0-9]$`
	endClockPattern   = `^(([01]?[0-9]|2[0-3]):[0-5][0-9]|24:00)$`
	aksClockPattern   = `^([01][0-9]|2[0-3]):[0-5][0-9]$`
	utcOffsetPattern  = `^[+-][0-9]{2}:[0-5][0-9]$`
)

func slaField(sev string, d time.Duration) Field {
	return Field{Doc: "SLA of " + sev + " advisories.", Default: dur(d), Source: "assumption"}
}

// perSeverity writes one rate per severity, to four significant digits
// ("about" when that rounds).
func perSeverity(r [channel.NumSeverities]channel.Rate) string {
	var parts []string
	for s := range channel.NumSeverities {
		x := float64(r[s])
		v := strconv.FormatFloat(x, 'g', 4, 64)
		if v != num(x) {
			v = "about " + v
		}
		parts = append(parts, fmt.Sprintf("%s %s", channel.Severity(s), v))
	}
	return strings.Join(parts, ", ")
}

func distString(d fleet.Dist) string {
	return fmt.Sprintf("min %s, mode %s, max %s", dur(d.Min), dur(d.Mode), dur(d.Max))
}

// dur writes d as a scenario file does, without trailing zero units
// ("1h", not "1h0m0s").
func dur(d time.Duration) string {
	s := Duration(d).String()
	if t, ok := strings.CutSuffix(s, "m0s"); ok {
		s = t + "m"
	}
	if t, ok := strings.CutSuffix(s, "h0m"); ok {
		s = t + "h"
	}
	return s
}

// poolModes are agentPoolProfiles[].mode's values; convert reads a
// pool's mode by its index here (System is 1).
func poolModes() []string { return []string{"User", "System"} }

func weekdayNames() []string {
	var out []string
	for d := time.Sunday; d <= time.Saturday; d++ {
		out = append(out, d.String())
	}
	return out
}

func weekdayAbbrevs() []string {
	var out []string
	for _, d := range weekdayNames() {
		out = append(out, d[:3])
	}
	return out
}

func metricKeys() []string {
	out := make([]string, len(Metrics))
	for i, m := range Metrics {
		out[i] = m.Key
	}
	return out
}

// historyYears returns the years channel.History replays, as written in a
// file.
func historyYears() []string {
	var out []string
	for _, y := range channel.HistoryYears {
		out = append(out, strconv.Itoa(y))
	}
	return out
}
