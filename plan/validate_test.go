package plan

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Scenario files with bad values, each built on validCluster by one edit.
const validStart = "start: 2025-01-06T00:00:00Z\n"

// withTop adds top-level fields before the valid cluster.
func withTop(fields string) string { return validStart + fields + "\n" + validCluster }

// withCluster adds fields to the valid cluster.
func withCluster(fields string) string {
	return validStart + strings.Replace(validCluster, "    pools:", fields+"\n    pools:", 1)
}

// withPool adds fields to the valid cluster's pool of 3 nodes.
func withPool(fields string) string {
	return validStart + strings.Replace(validCluster, "count: 3}", "count: 3, "+fields+"}", 1)
}

// withWindow gives the valid cluster a node OS maintenance window.
func withWindow(w string) string {
	return withCluster("    maintenanceConfigurations:\n      - name: aksManagedNodeOSUpgradeSchedule\n        maintenanceWindow: " + w)
}

// TestValidateFieldTable: each bad value is refused with the path as the
// file writes it, the value, and what is allowed (the ranges of
// docs/scenario.md); the problems of one file are listed together.
func TestValidateFieldTable(t *testing.T) {
	const mw = "plan: clusters[0].maintenanceConfigurations[0].maintenanceWindow."
	const pool = "plan: clusters[0].pools[0]."
	for _, tc := range []struct {
		name string
		file string
		want []string
	}{
		{"seed below 0", withTop("seed: -1"), []string{
			"plan: seed: -1 is out of range (0 to 18446744073709551615)"}},
		{"a negative SLA", withTop("sla: {critical: -1d}"), []string{
			"plan: sla.critical: -24h0m0s must not be negative"}},
		{"negative rollout spreads, by their scenario names", withTop("upstream: {nodeImageRollout: -1h, securityPatchRollout: -2h}"), []string{
			"plan: upstream.nodeImageRollout: -1h0m0s must not be negative",
			"plan: upstream.securityPatchRollout: -2h0m0s must not be negative"}},
		{"advisory rates outside 0 to a million a year, by their scenario names", withTop("upstream: {userspacePerYear: {critical: 0, high: -2, medium: 1000001, low: 1}}"), []string{
			"plan: upstream.userspacePerYear.high: -2 is outside 0 to 1000000 advisories per year",
			"plan: upstream.userspacePerYear.medium: 1000001 is outside 0 to 1000000 advisories per year"}},
		{"expedite: a share above 1 and a negative delay", withTop("upstream: {expedite: {severity: high, probability: 1.5, within: -1h}}"), []string{
			"plan: upstream.expedite.probability: 1.5: want a share in (0, 1]",
			"plan: upstream.expedite.within: -1h0m0s must not be negative"}},
		{"expedite: unknown severity and stream, a negative share", withTop("upstream: {expedite: {severity: urgent, probability: -0.1, streams: [SecurityPatch, Weekly]}}"), []string{
			`plan: upstream.expedite.severity: severity "urgent": want one of critical, high, medium, low`,
			"plan: upstream.expedite.probability: -0.1: want a share in (0, 1]",
			`plan: upstream.expedite.streams[1]: "Weekly" is not one of SecurityPatch, NodeImage (any case)`}},
		{"an hour slot past 23", withCluster("    maintenanceConfigurations:\n      - name: default\n        timeInWeek: [{day: Monday, hourSlots: [3, 24]}]"), []string{
			"plan: clusters[0].maintenanceConfigurations[0].timeInWeek[0].hourSlots[1]: 24 is outside 0 to 23"}},
		{"a window with four problems", withWindow(`{schedule: {daily: {intervalDays: 8}}, durationHours: 25, utcOffset: "+15:00", startTime: "24:00"}`), []string{
			mw + "durationHours: 25 is above the maximum 24",
			mw + "schedule.daily.intervalDays: 8 is above the maximum 7",
			mw + `utcOffset: "+15:00" is not ±hh:mm from -12:00 to +14:00`,
			mw + `startTime: "24:00" is not HH:MM from 00:00 to 23:59`}},
		{"a window's zero interval, half-hour offset past -12:00, one-digit hour", withWindow(`{schedule: {daily: {intervalDays: 0}}, durationHours: 4, utcOffset: "-12:30", startTime: "7:00"}`), []string{
			mw + "schedule.daily.intervalDays: required (1 to 7)",
			mw + `utcOffset: "-12:30" is not ±hh:mm from -12:00 to +14:00`,
			mw + `startTime: "7:00" is not HH:MM from 00:00 to 23:59`}},
		{"absoluteMonthly past 6 months and day 31", withWindow(`{schedule: {absoluteMonthly: {intervalMonths: 7, dayOfMonth: 32}}, durationHours: 4, startTime: "01:00"}`), []string{
			mw + "schedule.absoluteMonthly.intervalMonths: 7 is above the maximum 6",
			mw + "schedule.absoluteMonthly.dayOfMonth: 32 is above the maximum 31"}},
		{"relativeMonthly without interval, a fifth week", withWindow(`{schedule: {relativeMonthly: {intervalMonths: 0, dayOfWeek: Monday, weekIndex: Fifth}}, durationHours: 4, startTime: "01:00"}`), []string{
			mw + "schedule.relativeMonthly.intervalMonths: required (1 to 6)",
			mw + `schedule.relativeMonthly.weekIndex: "Fifth" is not one of First, Second, Third, Fourth, Last`}},
		{"negative policy durations", withCluster("    policy: {retryDelay: -1h, noWindowCadence: -2h, securityPatchCadence: -3h}"), []string{
			"plan: clusters[0].policy.retryDelay: -1h0m0s must not be negative",
			"plan: clusters[0].policy.noWindowCadence: -2h0m0s must not be negative",
			"plan: clusters[0].policy.securityPatchCadence: -3h0m0s must not be negative"}},
		{"kured: end past 24:00, unknown zone, negative period and concurrency", withCluster("    nodeOSUpgradeChannel: Unmanaged\n    kured: {period: -1h, concurrency: -1, endTime: \"24:01\", timeZone: Mars/Olympus}"), []string{
			`plan: clusters[0].kured.endTime: "24:01" is not HH:MM from 00:00 to 24:00`,
			`plan: clusters[0].kured.timeZone: "Mars/Olympus" is not an IANA time zone`,
			"plan: clusters[0].kured.period: -1h0m0s must not be negative",
			"plan: clusters[0].kured.concurrency: -1 must not be negative"}},
		{"kured: the machine's own zone, which differs between machines", withCluster("    nodeOSUpgradeChannel: Unmanaged\n    kured: {startTime: \"22:00\", timeZone: Local}"), []string{
			`plan: clusters[0].kured.timeZone: "Local" is the zone of the machine that runs the simulation, not of the cluster; name an IANA time zone, e.g. Europe/Paris`}},
		{"kured: a window that never opens, named by the file's fields", withCluster("    kured: {startTime: \"10:00\", endTime: \"10:00\"}"), []string{
			`plan: clusters[0].kured.endTime: "10:00" equals startTime "10:00": the window would never open`}},
		{"kured: midnight to midnight", withCluster("    kured: {endTime: \"0:00\", timeZone: Europe/Paris}"), []string{
			`plan: clusters[0].kured.endTime: "0:00" equals startTime "00:00": the window would never open`}},
		{"a year history does not replay", withTop("upstream: {history: \"2023\"}"), []string{
			`plan: upstream.history: "2023": want one of 2024, 2025`}},
		{"kured: a reboot mode outside min and max", withCluster("    nodeOSUpgradeChannel: Unmanaged\n    kured: {reboot: {min: 5m, mode: 3m, max: 2m}}"), []string{
			"plan: clusters[0].kured.reboot.mode: 3m0s is outside [min 5m0s, max 2m0s]"}},
		{"a channel change with a negative delay", withCluster("    channelChanges: [{at: 2025-02-01T00:00:00Z, to: Unmanaged, delay: -1h}]"), []string{
			"plan: clusters[0].channelChanges[0].delay: -1h0m0s must not be negative"}},
		{"a channel change before the run, and one to an unknown channel, listed once", withCluster("    channelChanges: [{at: 2024-02-01T00:00:00Z, to: Unmanaged}, {at: 2025-03-01T00:00:00Z, to: Sometimes}]"), []string{
			`plan: clusters[0].channelChanges[1].to: node OS channel "Sometimes": want one of None, Unmanaged, SecurityPatch, NodeImage (or empty for unset)`,
			"plan: clusters[0].channelChanges[0].at: 2024-02-01T00:00:00Z is outside the run [2025-01-06T00:00:00Z, 2026-01-06T00:00:00Z)"}},
		{"a channel change without a channel", withCluster("    channelChanges: [{at: 2025-02-01T00:00:00Z}]"), []string{
			"plan: clusters[0].channelChanges[0].to: is required"}},
		{"an empty pool", validStart + strings.Replace(validCluster, "count: 3}", "count: 0}", 1), []string{
			pool + "count: 0 is outside 1 to 1000"}},
		{"a pool past a scale set", validStart + strings.Replace(validCluster, "count: 3}", "count: 1001}", 1), []string{
			pool + "count: 1001 is outside 1 to 1000"}},
		{"maxUnavailable over 100%, maxBlockedNodes below maxSurge", withPool(`upgradeSettings: {maxUnavailable: "101%", maxSurge: "2", maxBlockedNodes: "1"}`), []string{
			pool + `upgradeSettings.maxUnavailable: "101%" is over 100%`,
			pool + `upgradeSettings.maxBlockedNodes: "1" is below maxSurge "2"; AKS requires maxBlockedNodes >= maxSurge`}},
		{"drain timeout and soak below their ranges", withPool(`upgradeSettings: {drainTimeoutInMinutes: 4, nodeSoakDurationInMinutes: -1}`), []string{
			pool + "upgradeSettings.drainTimeoutInMinutes: 4m0s is outside 5 to 1440 minutes",
			pool + "upgradeSettings.nodeSoakDurationInMinutes: -1m0s is outside 0 to 30 minutes"}},
		{"drain timeout and soak above their ranges", withPool(`upgradeSettings: {drainTimeoutInMinutes: 1441, nodeSoakDurationInMinutes: 31}`), []string{
			pool + "upgradeSettings.drainTimeoutInMinutes: 24h1m0s is outside 5 to 1440 minutes",
			pool + "upgradeSettings.nodeSoakDurationInMinutes: 31m0s is outside 0 to 30 minutes"}},
		{"a maxSurge that is not a count", withPool(`upgradeSettings: {maxSurge: "-1"}`), []string{
			pool + `upgradeSettings.maxSurge: "-1" is not a node count or percentage (want e.g. "1" or "33%")`}},
		{"no surge and no unavailable", withPool(`upgradeSettings: {maxSurge: "0", maxUnavailable: "0"}`), []string{
			pool + `upgradeSettings.maxSurge: "0" with maxUnavailable "0": AKS requires maxSurge above 0 when maxUnavailable is 0`}},
		{"maxUnavailable on a System pool", withPool(`mode: System, upgradeSettings: {maxUnavailable: "1"}`), []string{
			pool + `upgradeSettings.maxUnavailable: "1" is not allowed on a System pool`}},
		{"a PDB share above 1, strict nodes outside the pool, by their scenario name", withPool(`pdb: {probability: 1.5, strictNodes: [2, 3, -1]}`), []string{
			pool + "pdb.probability: 1.5 is outside [0, 1]",
			pool + "pdb.strictNodes[1]: node 3 is outside the pool's nodes 0 to 2",
			pool + "pdb.strictNodes[2]: node -1 is outside the pool's nodes 0 to 2"}},
		{"a drain mode below its min, a negative cleanup", withPool(`durations: {quarantineCleanup: -1h, drain: {min: 10m, mode: 5m, max: 20m}}`), []string{
			pool + "durations.drain.mode: 5m0s is outside [min 10m0s, max 20m0s]",
			pool + "durations.quarantineCleanup: -1h0m0s must not be negative"}},
		{"a kernel without userspace", withPool(`initial: {kernel: 2025-01-01T00:00:00Z}`), []string{
			pool + "initial.userspace: is required when initial.kernel is set"}},
		{"initial nodes for another pool size", withPool(`initialNodes: [{userspace: 2025-01-01T00:00:00Z}]`), []string{
			pool + "initialNodes: has 1 entries for 3 nodes; give one per node or none"}},
		{"every bad grid value at once", withTop("grid: {windowStartHour: [3, 24], windowDurationHours: [3], windowStagger: [-1h], nodeSoakDurationInMinutes: [0, 31]}"), []string{
			"plan: grid.windowStartHour[1]: 24 is outside 0 to 23",
			"plan: grid.windowDurationHours[0]: 3 is outside 4 to 24",
			"plan: grid.windowStagger[0]: -1h0m0s is not whole minutes from 0 to 7d",
			"plan: grid.nodeSoakDurationInMinutes[1]: 31m0s is outside 0 to 30 minutes"}},
		{"grid channels, days and surges, each at its place", withTop("grid: {nodeOSUpgradeChannel: [NodeImage, Weekly], windowDay: [Caturday], maxSurge: [\"1\", \"200%\", \"x\"]}"), []string{
			`plan: grid.nodeOSUpgradeChannel[1]: node OS channel "Weekly": want one of None, Unmanaged, SecurityPatch, NodeImage (or empty for unset)`,
			`plan: grid.windowDay[0]: "Caturday" is not a day of the week (Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, or their first three letters)`,
			`plan: grid.maxSurge[1]: "200%" is over 100%`,
			`plan: grid.maxSurge[2]: "x" is not a node count or percentage (want e.g. "1" or "33%")`}},
		{"a grid surge that only a pool refuses names the variant", withTop("grid: {maxSurge: [\"1\", \"0\"]}"), []string{
			`plan: grid (maxSurge=0) clusters[0].pools[0].upgradeSettings.maxSurge: "0" with maxUnavailable "0": AKS requires maxSurge above 0 when maxUnavailable is 0`}},
		{"variant names twice, an unknown cluster", withTop("variants: [{name: a}, {name: a, clusters: [prod, nope]}]"), []string{
			`plan: variants[1].name: "a" is also the name of variants[0]`,
			`plan: variants[1].clusters[1]: "nope" is not a cluster of the scenario`}},
		{"pool and cluster names twice, a cluster without pools", validStart + "clusters:\n  - {name: a, region: westeurope, pools: [{name: p, count: 1}, {name: p, count: 2}]}\n  - {name: a, region: westeurope, pools: []}\n", []string{
			`plan: clusters[0].pools[1].name: "p" is also the name of clusters[0].pools[0]`,
			`plan: clusters[1].name: "a" is also the name of clusters[0]`,
			"plan: clusters[1].pools: at least one pool is required"}},
		{"settle past the horizon", withTop("settle: 400d"), []string{
			"plan: settle: 9600h0m0s is outside [0, horizon 8760h0m0s)"}},
		{"objective metrics better when higher, which the recommendation would get backwards", withTop("objective: {exposure: critical.withinSLA, disruption: minAvailableShare}"), []string{
			`plan: objective.exposure: "critical.withinSLA" is better when higher, but the objective is minimised (the frontier and the recommendation would favour the worst variants); choose a metric that is better when lower`,
			`plan: objective.disruption: "minAvailableShare" is better when higher, but the objective is minimised (the frontier and the recommendation would favour the worst variants); choose a metric that is better when lower`}},
		{"a constraint without a bound", withTop("constraints: [{metric: high.p95Days}]"), []string{
			"plan: constraints[0]: needs max or min"}},
		{"a constraint no value meets", withTop("constraints: [{metric: high.p95Days, max: 7, min: 9}, {metric: pastSLAShare, max: 0.1, min: 0.1}]"), []string{
			"plan: constraints[0]: min 9 is above max 7: no value meets both"}},
		{"whole numbers past 64 bits are out of range, not fractions", withTop("seed: 18446744073709551616\nreplications: 99999999999999999999"), []string{
			"plan: seed: 1.8446744073709552e+19 is out of range (0 to 18446744073709551615)",
			"plan: replications: 1e+20 is out of range"}},
		{"a whole number written with decimals is read", withTop("replications: 3.0\nseed: 18446744073709551615"), nil},
		{"a fraction is not whole", withTop("replications: 2.5"), []string{
			"plan: replications: 2.5 is not a whole number"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, problemsOf(t, tc.file))
		})
	}
}
