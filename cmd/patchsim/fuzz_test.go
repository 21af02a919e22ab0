package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/patchsim/patchsim/plan"
)

// FuzzCLIScenario runs the CLI on arbitrary scenario files: it never
// panics and never fails internally (exit 1); an invalid file exits 2 with
// its problems on stderr and nothing on stdout; a valid one exits 0, and
// its sharded run merges to the same JSON.
func FuzzCLIScenario(f *testing.F) {
	f.Add(plan.DefaultYAML())
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "s.yaml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		valid := false
		if s, err := plan.Parse(data, dir); err == nil {
			s.Replications = 1
			if p, err := plan.New(s); err == nil {
				valid = true
				if tooBig(s, len(p.Variants)) {
					return // valid, too big to run in a fuzz iteration
				}
			}
		}
		args := []string{"--replications", "1", "--workers", "1", "--quiet"}
		code, stdout, stderr := cli(append([]string{"compare", path, "--json"}, args...)...)
		switch {
		case code == 2 && !valid:
			if stdout != "" || stderr == "" {
				t.Fatalf("invalid input: stdout %q, stderr %q", stdout, stderr)
			}
			return
		case code != 0 || !valid:
			t.Fatalf("exit %d on a scenario plan.New calls valid=%v:\n%s", code, valid, stderr)
		}
		if !json.Valid([]byte(stdout)) {
			t.Fatalf("--json printed invalid JSON")
		}
		part := filepath.Join(dir, "part.jsonl")
		if code, _, stderr := cli(append([]string{"compare", path, "--shard", "0/1", "--out", part}, args...)...); code != 0 {
			t.Fatalf("--shard 0/1: exit %d: %s", code, stderr)
		}
		code, merged, stderr := cli("merge", "--json", part)
		if code != 0 || merged != stdout {
			t.Fatalf("merge: exit %d: %s\nmerged output differs: %v", code, stderr, merged != stdout)
		}
	})
}

// tooBig reports a valid scenario too large to run in a fuzz iteration.
func tooBig(s *plan.Scenario, variants int) bool {
	nodes := 0
	for _, c := range s.Clusters {
		for _, p := range c.Pools {
			nodes += p.Count
		}
	}
	horizon := s.Horizon.D()
	if horizon == 0 {
		horizon = plan.DefaultHorizon.D()
	}
	return nodes > 50 || variants > 4 || horizon > 40*24*time.Hour || s.Upstream.Lookback.D() > 400*24*time.Hour
}
