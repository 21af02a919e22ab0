package channel

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The release history replayed by [History]: copies of
// docs/reference/data files (a test keeps them identical).
//
//go:embed history/aks-ubuntu2204-image-kernels-2024-2025.csv history/aks-securitypatch-snapshots.csv history/ubuntu-usn-jammy-2024-podcast.csv
var historyFiles embed.FS

// HistoryYears are the years [History] replays.
var HistoryYears = []int{2024, 2025}

// History returns the content model of year replayed from the real
// release history in data/ (reference/aks.md sections 1.3, 6 and 7):
//
//   - node images: every AKSUbuntu 22.04 gen2 image of
//     data/aks-ubuntu2204-image-kernels-2024-2025.csv, built at its build
//     start and published on the day its release notes were added (the
//     empirical publication delay, not a drawn one), each carrying the
//     linux-azure kernel its notes name;
//   - SecurityPatch snapshots: the Ubuntu 22.04 snapshots of
//     data/aks-securitypatch-snapshots.csv, at their golden timestamps,
//     published when their notes were added, with a new kernel exactly
//     when the data names one (a reimage under SecurityPatch, the rest live
//     patches). The data starts in January 2025: for 2024 the snapshots
//     keep the calibrated cadence of [DefaultConfig], their kernels taken
//     from the replayed kernel history;
//   - kernels: each linux-azure kernel is released when it first appears in
//     a node image build or a snapshot, so kernel releases, the kernel
//     inside each release and SecurityPatch's reimage decisions come from
//     the same history.
//
// Everything else (advisories, Windows images, Kubernetes versions,
// regional rollout) keeps the defaults; an advisory trace replaces the
// advisories. The history covers node images built 2024-01-03 to
// 2025-12-18 and snapshots 2025-01-05 to 2026-08: a run that reaches past
// the data sees no further release. It returns an error naming the allowed
// years for any other year.
func History(year int) (Config, error) {
	if !slices.Contains(HistoryYears, year) {
		return Config{}, fmt.Errorf("channel: history %d: want one of %v", year, HistoryYears)
	}
	cfg := DefaultConfig()
	images, err := readHistory("aks-ubuntu2204-image-kernels-2024-2025.csv", nil)
	if err != nil {
		return Config{}, err
	}
	snaps, err := readHistory("aks-securitypatch-snapshots.csv", func(col map[string]int, rec []string) bool {
		// Two snapshots have notes for other OSes only.
		return rec[col["ubuntu2204_notes_present"]] == "yes"
	})
	if err != nil {
		return Config{}, err
	}
	cfg.NodeImages.Cadence = Cadence{Kind: Trace, Trace: images}
	if year >= 2025 {
		cfg.SecurityPatches.Cadence = Cadence{Kind: Trace, Trace: snaps}
	}
	cfg.Kernels = KernelsOf(images, snaps)
	return cfg, nil
}

// KernelsOf returns the kernel cadence that traces imply: each kernel a
// trace entry names is released at its first appearance (its earliest
// Built) in any of them, so that kernel releases, the kernel inside each
// release and SecurityPatch's reimage decisions all come from the same
// traces. It is Off when no entry names a kernel.
func KernelsOf(traces ...[]TraceEntry) Cadence {
	first := map[string]time.Time{}
	for _, tr := range traces {
		for _, e := range tr {
			if t, ok := first[e.Kernel]; e.Kernel != "" && (!ok || e.Built.Before(t)) {
				first[e.Kernel] = e.Built
			}
		}
	}
	if len(first) == 0 {
		return Cadence{}
	}
	var kernels []TraceEntry
	for k, t := range first {
		kernels = append(kernels, TraceEntry{Version: k, Built: t, Published: t})
	}
	slices.SortFunc(kernels, func(a, b TraceEntry) int {
		if c := a.Built.Compare(b.Built); c != 0 {
			return c
		}
		return strings.Compare(a.Version, b.Version)
	})
	return Cadence{Kind: Trace, Trace: kernels}
}

// readHistory reads one embedded history file, keeping the rows keep
// accepts (all when nil).
func readHistory(name string, keep func(col map[string]int, rec []string) bool) ([]TraceEntry, error) {
	data, err := historyFiles.ReadFile("history/" + name)
	if err != nil {
		return nil, fmt.Errorf("channel: history: %w", err)
	}
	if keep != nil {
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil || len(rows) == 0 {
			return nil, fmt.Errorf("channel: history %s: %v", name, err)
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		_ = w.Write(rows[0])
		for _, rec := range rows[1:] {
			if keep(col, rec) {
				_ = w.Write(rec)
			}
		}
		w.Flush()
		data = buf.Bytes()
	}
	tr, err := ReadTrace(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("channel: history %s: %w", name, err)
	}
	return tr, nil
}
