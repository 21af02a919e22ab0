// Package window models maintenance windows as time intervals: when is a
// window open, and when does the next one open?
//
// Every kind implements [Schedule], whose one method Next(t) returns the
// first window open at or after t (the window containing t when t is inside
// one). [Open] and [Between] build on it. Windows are half-open
// [Interval]s in UTC. Next takes the instant it reasons about and never
// reads the clock; it is allocation-free in steady state.
//
// # Kinds
//
//   - AKS Planned Maintenance: [MaintenanceConfiguration], whose JSON is the
//     ARM API's, read by [ParseConfigurations] from the az CLI and ARM shapes.
//   - [RRule]: an RFC 5545 rule plus a duration in an IANA zone (GKE).
//   - [Cron]: a 5-field cron expression or macro plus a duration (Karpenter
//     disruption budgets).
//   - [WeekdayHours]: weekdays and a start and end time of day in a zone
//     (kured, system-upgrade-controller), wrapping past midnight when the
//     end is before the start.
//   - [Always], [Union] of schedules, and [Except] (a schedule minus
//     blackout spans).
//
// The zoned kinds share one DST policy, RFC 5545 §3.3.5, documented on
// [RRule]: a nonexistent wall time takes the offset from before the gap; a
// repeated one is its first occurrence.
//
// # AKS semantics
//
// Each rule has a source in reference/aks.md §3; where AKS is silent the
// rule is our stated assumption (marked so).
//
//   - startTime, startDate and notAllowedDates are on the fixed utcOffset,
//     with no DST (§3.2).
//   - The recurrence is RFC 5545 with DTSTART = startDate at startTime and
//     weeks starting on Monday (assumption: AKS documents no week start):
//     daily FREQ=DAILY;INTERVAL=n; weekly FREQ=WEEKLY;INTERVAL=n;BYDAY=d;
//     absoluteMonthly FREQ=MONTHLY;INTERVAL=n;BYMONTHDAY=d, where a month
//     without that day has no window (assumption); relativeMonthly
//     FREQ=MONTHLY;INTERVAL=n;BYDAY=+k d, with Last = -1. As in RFC 5545
//     implementations, DTSTART itself is a window only if it matches the
//     rule.
//   - Without startDate the window is "active right away" (§3.2); the
//     anchor given to [MaintenanceConfiguration.Schedule] (the scenario
//     start) takes the place of startDate, which fixes the phase of
//     intervals above 1 (assumption).
//   - A window is [occurrence, occurrence + durationHours). Windows of a
//     daily 24-hour schedule touch and are reported one per day.
//   - A notAllowedDates span blocks [start 00:00, end + 1 day 00:00) local
//     time, both dates inclusive (§3.2, from the API description) and clips
//     windows; a fully blocked window disappears.
//   - Legacy timeInWeek: hour slot h is [h:00, h+1:00) UTC; contiguous slots
//     merge, also across midnight; a day without slots is the whole day
//     (the old CLI's "anytime during a day", §3.2); notAllowedTime spans
//     clip. When a configuration has both forms, its windows are the union,
//     and both kinds of blackout clip it (assumption).
//   - Names: default takes only a weekly schedule or the legacy form;
//     any name other than default, aksManagedAutoUpgradeSchedule and
//     aksManagedNodeOSUpgradeSchedule is an error (§3.1: the CLI rejects
//     them). A configuration without a name (a PUT body) is not checked
//     against these rules.
package window
