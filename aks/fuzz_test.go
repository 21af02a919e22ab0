package aks

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/patchsim/patchsim/window"
)

func FuzzParseImageVersion(f *testing.F) {
	for _, s := range []string{
		"AKSUbuntu-2204gen2containerd-202410.27.0-2024.12.01",
		"AKSUbuntu-1804gen2containerd-2022.04.19",
		"AKSWindows-2022-containerd-20348.3207.250214",
		"AKSWindows-23H2-gen2-25398.1425.250214",
		"AKSAzureContainerLinux-202606.01.0",
		"AKSUbuntu-2204gen2containerd-202402.30.0",
		"AKSUbuntu-1804gen2containerd-2022.04.19-2022.05.02",
		"AKSWindows-2022-containerd-20348.3207.250214-2025.03.01",
		"", "-", "AKS-", "AKSx--1.1.1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseImageVersion(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Msg == "" {
				t.Fatalf("error %v is not a described *Error", err)
			}
			return
		}
		if got := v.String(); got != s {
			t.Fatalf("String() = %q, want the input %q", got, s)
		}
		if v.Built.IsZero() || v.Built.Location().String() != "UTC" || v.Built.Hour() != 0 {
			t.Fatalf("Built %v is not a UTC midnight", v.Built)
		}
		if v.OS != "Linux" && v.OS != "Windows" {
			t.Fatalf("OS %q", v.OS)
		}
		if v.OS == "Windows" && (!v.SecurityPatch.IsZero() || v.Rebuild != 0) {
			t.Fatalf("Windows image with a patch date or rebuild: %+v", v)
		}
	})
}

func addFiles(f *testing.F, names ...string) {
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

func FuzzParseCluster(f *testing.F) {
	addFiles(f, "cluster-az.json", "cluster-arm.json", "cluster-bad.json")
	f.Add([]byte(clusterDoc("", `, "upgradeSettings": {"maxSurge": null}`)))
	f.Add([]byte(`{"properties": null, "location": "x"}`))
	f.Add([]byte(`[1, 2]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCluster("f.json", data)
		if err != nil {
			if c != nil {
				t.Fatal("cluster and error both returned")
			}
			checkErrors(t, err)
			return
		}
		if c.Location == "" || len(c.Pools) == 0 || c.UpgradeChannel == "" || c.NodeOSUpgradeChannel == "" {
			t.Fatalf("incomplete cluster %+v", c)
		}
		for _, p := range c.Pools {
			u := p.Upgrade
			if p.NodeImageVersion.OS != p.OSType || u.DrainTimeout <= 0 || len(u.Check(p.Count, p.Mode == "System")) > 0 {
				t.Fatalf("invalid pool %+v", p)
			}
		}
	})
}

func FuzzParseNodes(f *testing.F) {
	addFiles(f, "nodes.json", "nodes-bad.json")
	f.Add([]byte(nodeDoc(goodLabels, goodStatus, "")))
	f.Add([]byte(`{"apiVersion": "v1", "kind": "List", "items": [null]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ParseNodes("f.json", data)
		if err != nil {
			if l != nil {
				t.Fatal("list and error both returned")
			}
			checkErrors(t, err)
			return
		}
		if len(l.Nodes)+len(l.Rejected) == 0 || l.Observed.IsZero() {
			t.Fatalf("incomplete list %+v", l)
		}
		for _, e := range l.Rejected {
			if e.File != "f.json" || e.Object == "" || e.Msg == "" {
				t.Fatalf("rejection %#v does not name the file and the node", e)
			}
		}
		for _, n := range l.Nodes {
			if n.LastHeartbeat.After(l.Observed) || n.Name == "" || n.Pool == "" || n.Image.OS != n.OS {
				t.Fatalf("invalid node %+v (observed %v)", n, l.Observed)
			}
		}
	})
}

// checkErrors checks that every joined problem is an *Error naming the file.
func checkErrors(t *testing.T, err error) {
	t.Helper()
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("error %T is not joined", err)
	}
	for _, e := range joined.Unwrap() {
		var pe *Error
		if !errors.As(e, &pe) || pe.File != "f.json" || pe.Msg == "" || utf8.RuneCountInString(pe.Value) > maxValueLen+len("...") || !utf8.ValidString(pe.Error()) {
			t.Fatalf("bad problem %#v", e)
		}
	}
}

// FuzzImport feeds the parsers' seed documents, and whatever the fuzzer
// makes of them, through Import: no panic, and every accepted input yields
// a scenario that validates, with one initial state per node.
func FuzzImport(f *testing.F) {
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		return data
	}
	configs := []byte(`[{"name": "aksManagedNodeOSUpgradeSchedule", "maintenanceWindow": {"schedule": {"weekly": {"intervalWeeks": 1, "dayOfWeek": "Sunday"}},
	  "durationHours": 4, "startTime": "00:00"}}, {"name": "nightly", "maintenanceWindow": {"schedule": {"daily": {"intervalDays": 1}}, "durationHours": 4, "startTime": "22:00"}}]`)
	for _, cluster := range []string{"cluster-az.json", "cluster-arm.json", "cluster-bad.json"} {
		for _, nodes := range []string{"nodes.json", "nodes-bad.json"} {
			f.Add(read(cluster), read(nodes), configs)
		}
	}
	f.Add([]byte(clusterDoc(`"autoUpgradeProfile": {"nodeOSUpgradeChannel": "SecurityPatch"},`, `, "upgradeSettings": {"maxSurge": null}`)),
		[]byte(nodeDoc(goodLabels, goodStatus, "")), []byte(`{"properties": {"maintenanceWindow": null}}`))
	f.Add([]byte(clusterDoc("", `, "count": 0`)), []byte(`{}`), []byte(`[]`))
	f.Add([]byte(clusterDoc("", `, "enableAutoScaling": true, "minCount": 0, "maxCount": 2`)), []byte(nodeDoc(goodLabels, goodStatus, "")), []byte(`[]`))
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, clusterData, nodesData, configData []byte) {
		c, err := ParseCluster("c.json", clusterData)
		if err != nil {
			return
		}
		opt := ImportOptions{Replications: 2}
		nodes, err := ParseNodes("n.json", nodesData)
		if err != nil {
			nodes, opt.Start = nil, start
		}
		configs, _ := window.ParseConfigurations(configData)
		s, warnings, err := Import(c, configs, nodes, opt)
		for _, w := range warnings {
			if !strings.HasPrefix(w, "aks: import: ") {
				t.Fatalf("warning %q", w)
			}
		}
		if err != nil {
			if s != nil || !strings.HasPrefix(err.Error(), "aks: ") {
				t.Fatalf("scenario %v with error %v", s != nil, err)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("imported scenario does not validate: %v", err)
		}
		for _, p := range s.Clusters[0].Pools {
			if p.Count < 1 || len(p.InitialNodes) != p.Count && (p.Initial == nil || len(p.InitialNodes) != 0) {
				t.Fatalf("pool %s: %d nodes, %d initial states, initial %v", p.Name, p.Count, len(p.InitialNodes), p.Initial)
			}
		}
	})
}

// FuzzParseFleet: no panic; a problem is an *Error naming the file; what
// it accepts reads back the same from the JSON it writes, every object in
// a list of its kind.
func FuzzParseFleet(f *testing.F) {
	addFiles(f, filepath.Join("fleet", "members.json"), filepath.Join("fleet", "bad.json"))
	for _, name := range []string{"az-fleet-updatestrategy-show.json", "arm-updatestrategy-get.json", "az-fleet-stages-file.json",
		"az-fleet-autoupgradeprofile-show.json", "arm-autoupgradeprofile-get.json"} {
		data, err := os.ReadFile(filepath.Join("..", "docs", "reference", "fleet-examples", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"value": [{"stages": [{"name": "a", "groups": [{"name": "g"}]}]}, {"channel": "NodeImage", "name": "p"}, {"name": "m", "group": "g"}]}`))
	f.Add([]byte(`[{"type": "Microsoft.ContainerService/fleets/members", "properties": {"group": "x"}}, {"strategy": null}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fl, err := ParseFleet("f.json", data)
		if err != nil {
			if fl != nil {
				t.Fatal("fleet and error both returned")
			}
			checkErrors(t, err)
			return
		}
		// Each written with its ARM type, which says its kind whatever
		// fields it has left.
		items := []any{}
		add := func(v any, typ string) {
			b, _ := json.Marshal(v)
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			m["type"] = "Microsoft.ContainerService/fleets/" + typ
			items = append(items, m)
		}
		for _, m := range fl.Members {
			add(m, "members")
		}
		for _, u := range fl.Strategies {
			add(u, "updateStrategies")
		}
		for _, p := range fl.Profiles {
			add(p, "autoUpgradeProfiles")
		}
		out, err := json.Marshal(items)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseFleet("f.json", out)
		if err != nil {
			t.Fatalf("%s does not read back: %v", out, err)
		}
		again, _ := json.Marshal(back)
		first, _ := json.Marshal(fl)
		if string(again) != string(first) {
			t.Fatalf("read back differs:\n%s\n%s", first, again)
		}
	})
}
