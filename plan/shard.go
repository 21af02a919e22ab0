package plan

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/patchsim/patchsim/channel"
)

// Shard returns the pair indexes of shard i of n (0 <= i < n): every n-th
// pair from i, so each shard holds a share of every variant and of every
// replication. The shards of n partition the pairs; a shard past the last
// pair (n larger than Pairs) is empty, and its part holds no pair.
func (p *Experiment) Shard(i, n int) ([]int, error) {
	if n < 1 || i < 0 || i >= n {
		return nil, fmt.Errorf("plan: shard %d/%d: want 0 <= i < n", i, n)
	}
	var out []int
	for k := i; k < p.Pairs(); k += n {
		out = append(out, k)
	}
	return out, nil
}

// PartFormat names the format of a part file.
const PartFormat = "patchsim-pairs/v2"

// PartHeader is the first line of a part: which command made it, with which
// build, on which scenario (by hash, and the scenario itself so a part
// summarises without the original file) and which shard it holds.
//
// Parts are not signed. Merge refuses parts of another scenario, build,
// model or shard layout and values of the wrong shape, which catches
// mistakes; it cannot tell a deliberately edited value from a computed one.
type PartHeader struct {
	Format string `json:"format"`
	// Command names what wrote the part (for the CLI: run, compare or
	// sweep), so that a merge prints that command's output.
	Command string `json:"command"`
	// Version is the module version of the build that wrote the part, and
	// Model the fingerprint of its model (the numbers of a fixed reference
	// run): parts of different builds do not merge.
	Version  string          `json:"version"`
	Model    string          `json:"model"`
	Hash     string          `json:"hash"`
	Shard    int             `json:"shard"`
	Shards   int             `json:"shards"`
	Options  PartOptions     `json:"options"`
	Scenario json.RawMessage `json:"scenario"`
}

// PartOptions are the options that change what a pair holds; merged parts
// must agree on them.
type PartOptions struct {
	Distributions bool `json:"distributions,omitempty"`
	Trace         bool `json:"trace,omitempty"`
}

// WritePart writes the pairs of shard i of n, run by command with opt, as
// JSON lines: the header, then one pair a line.
func (p *Experiment) WritePart(w io.Writer, command string, i, n int, opt Options, pairs []Pair) error {
	canon, err := p.Scenario.Canonical()
	if err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	model, err := modelFingerprint()
	if err != nil {
		return fmt.Errorf("plan: model fingerprint: %w", err)
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	h := PartHeader{Format: PartFormat, Command: command, Version: buildVersion(), Model: model, Hash: p.Hash, Shard: i, Shards: n,
		Options: PartOptions{Distributions: opt.Distributions, Trace: opt.Trace}, Scenario: canon}
	if err := enc.Encode(h); err != nil {
		return err
	}
	for i := range pairs {
		if err := enc.Encode(&pairs[i]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Part is a named part file's content.
type Part struct {
	Name   string // for error messages, e.g. the file name
	Header PartHeader
	Pairs  []Pair
}

// ReadPart reads a part written by WritePart; errors name the line. Fields
// a part does not have are errors; Merge checks the values.
func ReadPart(name string, r io.Reader) (*Part, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	part := &Part{Name: name}
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			if err := strictJSON(sc.Bytes(), &part.Header); err != nil {
				return nil, fmt.Errorf("plan: part %s: line 1: not a part header: %v", name, err)
			}
			if part.Header.Format != PartFormat {
				return nil, fmt.Errorf("plan: part %s: line 1: format %q, want %q (parts of other versions of patchsim do not merge)", name, part.Header.Format, PartFormat)
			}
			continue
		}
		var q Pair
		if err := strictJSON(sc.Bytes(), &q); err != nil {
			return nil, fmt.Errorf("plan: part %s: line %d: %v", name, line, err)
		}
		part.Pairs = append(part.Pairs, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("plan: part %s: %v", name, err)
	}
	if line == 0 {
		return nil, fmt.Errorf("plan: part %s: empty", name)
	}
	return part, nil
}

// strictJSON decodes one JSON value into v, refusing unknown fields and
// trailing data.
func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value on the line")
	}
	return nil
}

// maxPairErrors bounds the pair problems listed per part.
const maxPairErrors = 10

// Merge checks the parts and summarises them: the result is the Comparison
// a single machine computes. The parts must come from one command, build
// (version and model fingerprint, the model also this build's) and valid
// scenario, with the same options and shard count; each shard must be in
// exactly one part, and each part must hold exactly its shard's pairs,
// every value of the shape the scenario and options give. Errors name the
// part; every problem is listed.
func Merge(parts []*Part) (*Comparison, *Experiment, error) {
	if len(parts) == 0 {
		return nil, nil, errors.New("plan: merge: no parts")
	}
	first := parts[0]
	fh := first.Header
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("plan: merge: "+format, args...))
	}
	for _, pt := range parts[1:] {
		h := pt.Header
		switch {
		case h.Hash != fh.Hash:
			add("part %s is from scenario %.12s, part %s from %.12s", pt.Name, h.Hash, first.Name, fh.Hash)
		case h.Command != fh.Command:
			add("part %s was written by %q, part %s by %q", pt.Name, h.Command, first.Name, fh.Command)
		case h.Options != fh.Options:
			add("part %s was run with options %+v, part %s with %+v", pt.Name, h.Options, first.Name, fh.Options)
		case h.Version != fh.Version || h.Model != fh.Model:
			add("part %s was written by build %s (model %s), part %s by %s (model %s)", pt.Name, h.Version, h.Model, first.Name, fh.Version, fh.Model)
		case h.Shards != fh.Shards:
			add("part %s is shard %d of %d, part %s of %d shards", pt.Name, h.Shard, h.Shards, first.Name, fh.Shards)
		}
	}
	if model, err := modelFingerprint(); err != nil {
		add("model fingerprint: %v", err)
	} else if fh.Model != model {
		add("the parts were written by build %s whose model (%s) gives other numbers than this build's (%s, %s); merge them with the build that wrote them", fh.Version, fh.Model, buildVersion(), model)
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	s, err := Parse(fh.Scenario, "")
	if err != nil {
		return nil, nil, fmt.Errorf("plan: merge: part %s: its scenario: %w", first.Name, err)
	}
	p, err := prepare(s, false)
	if err != nil {
		return nil, nil, fmt.Errorf("plan: merge: part %s: its scenario: %w", first.Name, err)
	}
	if p.Hash != fh.Hash {
		return nil, nil, fmt.Errorf("plan: merge: part %s: its scenario hashes to %.12s, not the %.12s it claims", first.Name, p.Hash, fh.Hash)
	}
	n := fh.Shards
	if n < 1 {
		return nil, nil, fmt.Errorf("plan: merge: part %s: %d shards; want at least 1", first.Name, n)
	}
	shardOf := map[int]string{} // the part holding each shard
	owner := map[[2]int]string{}
	var pairs []Pair
	for _, pt := range parts {
		i := pt.Header.Shard
		if i < 0 || i >= n {
			add("part %s: shard %d is outside 0 to %d", pt.Name, i, n-1)
			continue
		}
		if prev, dup := shardOf[i]; dup {
			add("shard %d of %d is in part %s and part %s", i, n, prev, pt.Name)
			continue
		}
		shardOf[i] = pt.Name
		var perrs []error
		for _, q := range pt.Pairs {
			if err := p.checkPair(&q, i, n, fh.Options); err != nil {
				perrs = append(perrs, err)
				continue
			}
			key := [2]int{q.Variant, q.Replication}
			if _, dup := owner[key]; dup {
				perrs = append(perrs, fmt.Errorf("pair (variant %d, replication %d) appears twice", q.Variant, q.Replication))
				continue
			}
			owner[key] = pt.Name
			pairs = append(pairs, q)
		}
		for k, err := range perrs {
			if k == maxPairErrors {
				add("part %s: %d more problems with its pairs", pt.Name, len(perrs)-k)
				break
			}
			add("part %s: %v", pt.Name, err)
		}
	}
	if lost := n - len(shardOf); lost > 0 {
		var first []int // the first few, found within len(shardOf)+5 steps
		for i := 0; len(first) < 5 && len(first) < lost; i++ {
			if _, ok := shardOf[i]; !ok {
				first = append(first, i)
			}
		}
		if lost == 1 {
			add("shard %d of %d is missing: no part holds it", first[0], n)
		} else {
			add("%d of %d shards are missing (%s...): no part holds them", lost, n, strings.Trim(fmt.Sprint(first), "[]"))
		}
	} else if missing := p.Pairs() - len(owner); missing > 0 && len(errs) == 0 {
		var lost []string
		for k := 0; k < p.Pairs() && len(lost) < 5; k++ {
			v, r := p.Pair(k)
			if _, ok := owner[[2]int{v, r}]; !ok {
				lost = append(lost, fmt.Sprintf("(variant %d, replication %d)", v, r))
			}
		}
		add("%d of %d pairs are missing, first %v; is a part cut short?", missing, p.Pairs(), lost)
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].Replication != pairs[j].Replication {
			return pairs[i].Replication < pairs[j].Replication
		}
		return pairs[i].Variant < pairs[j].Variant
	})
	c, err := p.Summarize(pairs)
	return c, p, err
}

// checkPair reports a pair that shard i of n cannot hold or whose values
// do not have the shape the scenario and options give.
func (p *Experiment) checkPair(q *Pair, i, n int, opt PartOptions) error {
	V, R := len(p.Variants), p.Scenario.replications()
	if q.Variant < 0 || q.Variant >= V || q.Replication < 0 || q.Replication >= R {
		return fmt.Errorf("pair (variant %d, replication %d) is outside the scenario's %d variants x %d replications", q.Variant, q.Replication, V, R)
	}
	if k := q.Replication*V + q.Variant; k%n != i {
		return fmt.Errorf("pair (variant %d, replication %d) belongs to shard %d of %d, not to shard %d", q.Variant, q.Replication, k%n, n, i)
	}
	at := fmt.Sprintf("pair (variant %d, replication %d)", q.Variant, q.Replication)
	if len(q.Values) != len(Metrics) {
		return fmt.Errorf("%s: %d values, want %d (one per metric)", at, len(q.Values), len(Metrics))
	}
	if len(q.Exposure) != channel.NumSeverities {
		return fmt.Errorf("%s: %d exposure histograms, want %d (one per severity)", at, len(q.Exposure), channel.NumSeverities)
	}
	for s := range q.Exposure {
		if err := q.Exposure[s].Validate(); err != nil {
			return fmt.Errorf("%s: exposure[%d]: %v", at, s, err)
		}
	}
	days := 0
	if opt.Distributions {
		days = p.pastSLADays()
	}
	if len(q.PastSLA) != days {
		return fmt.Errorf("%s: %d days of pastSLA, want %d", at, len(q.PastSLA), days)
	}
	for d, x := range q.PastSLA {
		if !(x >= 0 && x <= 1) {
			return fmt.Errorf("%s: pastSLA[%d]: %v is not a share in [0, 1]", at, d, float64(x))
		}
	}
	if len(q.Actions) > 0 && (!opt.Trace || q.Replication != 0) {
		return fmt.Errorf("%s: has a rollout trace, which only replication 0 of a traced run has", at)
	}
	return nil
}

// pastSLADays returns the length of a pair's PastSLA: one share for each
// day of the run, the last day possibly partial (fleet.Result.PastSLA).
func (p *Experiment) pastSLADays() int {
	const day = 24 * time.Hour
	return int((p.Scenario.horizon() + day - 1) / day)
}
