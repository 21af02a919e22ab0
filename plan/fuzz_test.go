package plan

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzScenario feeds arbitrary scenario files through Parse and Validate,
// and runs the small valid ones: no input may panic, and a scenario that
// validates must run.
func FuzzScenario(f *testing.F) {
	f.Add(defaultYAML)
	files, _ := filepath.Glob("../cmd/patchsim/testdata/*.yaml")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"name":"j","start":"2025-01-06T00:00:00Z","horizon":"20d","replications":1,"clusters":[{"name":"c","region":"r","pools":[{"name":"p","count":2}]}]}`))
	f.Add([]byte("name: x\nstart: 2025-01-06T00:00:00Z\nhorizon: 10d\nreplications: 1\nclusters:\n- name: c\n  region: r\n  nodeOSUpgradeChannel: Unmanaged\n  kured: {rebootDays: [sat], startTime: \"22:00\", endTime: \"02:00\", timeZone: Europe/Paris}\n  pools:\n  - {name: p, count: 3, upgradeSettings: {maxSurge: \"0\", maxUnavailable: \"1\"}}\ngrid:\n  windowDay: [Monday]\n"))
	f.Add([]byte("horizon: 7q\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data, t.TempDir())
		if err != nil {
			return
		}
		if err := s.Validate(); err != nil {
			return
		}
		vs, err := s.variants()
		if err != nil {
			t.Fatalf("Validate accepted a scenario whose variants fail: %v", err)
		}
		nodes := 0
		for _, c := range s.Clusters {
			for _, p := range c.Pools {
				nodes += p.Count
			}
		}
		if nodes > 50 || len(vs) > 4 || s.horizon() > 40*24*time.Hour || s.Upstream.Lookback.D() > 400*24*time.Hour {
			return // valid, too big to run in a fuzz iteration
		}
		s.Replications = 1
		p, err := New(s)
		if err != nil {
			t.Fatalf("New refused a valid scenario: %v", err)
		}
		if _, err := p.Compare(context.Background(), Options{Workers: 1, Distributions: true}); err != nil {
			t.Fatalf("a valid scenario failed to run: %v", err)
		}
	})
}
