// Package report renders a [plan.Comparison] for people: tables for
// terminals and Markdown, CSV and JSON for tools, and figures.
//
// # Tables
//
// [Text] and [Markdown] show one row per variant and the metrics of
// [Options.Columns] ([DefaultColumns] when nil), their means and, with
// [Options.CI], 95% confidence intervals; with [Options.Diff] a row of
// paired differences against the first variant follows each variant. Under
// the table come the Pareto frontier, the recommendation with its
// runner-up and margin, and the variants' warnings. A quantile not reached
// within the horizon (+Inf) prints as ">365d" for a 365-day horizon; a
// metric that does not apply (NaN) prints as "n/a". [CSV] writes every
// metric in long format and [JSON] the whole comparison.
//
// Output depends only on the comparison: the same comparison gives the
// same bytes.
package report
