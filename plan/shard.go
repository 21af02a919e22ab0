package plan

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
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
const PartFormat = "patchsim-pairs/v1"

// PartHeader is the first line of a part: which scenario (by hash, and the
// scenario itself so a part summarises without the original file) and which
// shard it holds.
type PartHeader struct {
	Format   string          `json:"format"`
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

// WritePart writes shard i of n as JSON lines: the header, then one pair a
// line.
func (p *Experiment) WritePart(w io.Writer, i, n int, opt Options, pairs []Pair) error {
	canon, err := p.Scenario.Canonical()
	if err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	h := PartHeader{Format: PartFormat, Hash: p.Hash, Shard: i, Shards: n,
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

// ReadPart reads a part written by WritePart; errors name the line.
func ReadPart(name string, r io.Reader) (*Part, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	part := &Part{Name: name}
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			if err := json.Unmarshal(sc.Bytes(), &part.Header); err != nil {
				return nil, fmt.Errorf("plan: part %s: line 1: not a part header: %v", name, err)
			}
			if part.Header.Format != PartFormat {
				return nil, fmt.Errorf("plan: part %s: line 1: format %q, want %q", name, part.Header.Format, PartFormat)
			}
			continue
		}
		var q Pair
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
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

// Merge checks that the parts come from one scenario with the same options
// and hold every pair exactly once, then summarises them: the result is the
// Comparison a single machine computes. Errors name the part.
func Merge(parts []*Part) (*Comparison, *Experiment, error) {
	if len(parts) == 0 {
		return nil, nil, errors.New("plan: merge: no parts")
	}
	first := parts[0]
	var errs []error
	for _, pt := range parts[1:] {
		if pt.Header.Hash != first.Header.Hash {
			errs = append(errs, fmt.Errorf("plan: merge: part %s is from scenario %.12s, part %s from %.12s", pt.Name, pt.Header.Hash, first.Name, first.Header.Hash))
		}
		if pt.Header.Options != first.Header.Options {
			errs = append(errs, fmt.Errorf("plan: merge: part %s was run with options %+v, part %s with %+v", pt.Name, pt.Header.Options, first.Name, first.Header.Options))
		}
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	s, err := Parse(first.Header.Scenario, "")
	if err != nil {
		return nil, nil, fmt.Errorf("plan: merge: part %s: %w", first.Name, err)
	}
	p, err := prepare(s, false)
	if err != nil {
		return nil, nil, fmt.Errorf("plan: merge: part %s: %w", first.Name, err)
	}
	if p.Hash != first.Header.Hash {
		return nil, nil, fmt.Errorf("plan: merge: part %s: its scenario hashes to %.12s, not the %.12s it claims", first.Name, p.Hash, first.Header.Hash)
	}
	owner := map[[2]int]string{}
	var pairs []Pair
	for _, pt := range parts {
		for _, q := range pt.Pairs {
			key := [2]int{q.Variant, q.Replication}
			if prev, dup := owner[key]; dup {
				errs = append(errs, fmt.Errorf("plan: merge: pair (variant %d, replication %d) is in part %s and part %s", q.Variant, q.Replication, prev, pt.Name))
				continue
			}
			owner[key] = pt.Name
			pairs = append(pairs, q)
		}
	}
	if missing := p.Pairs() - len(owner); missing > 0 {
		var lost []string
		for k := 0; k < p.Pairs() && len(lost) < 5; k++ {
			v, r := p.Pair(k)
			if _, ok := owner[[2]int{v, r}]; !ok {
				lost = append(lost, fmt.Sprintf("(variant %d, replication %d)", v, r))
			}
		}
		errs = append(errs, fmt.Errorf("plan: merge: %d of %d pairs are missing, first %v; is a part missing?", missing, p.Pairs(), lost))
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
