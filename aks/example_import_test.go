package aks_test

import (
	"fmt"

	"github.com/patchsim/patchsim/aks"
	"github.com/patchsim/patchsim/window"
)

func ExampleImport() {
	// Abridged `az aks show -o json`: a Linux pool on SecurityPatch and a
	// Windows pool.
	cluster, err := aks.ParseCluster("cluster.json", []byte(`{
	  "name": "prod", "location": "westeurope", "kubernetesVersion": "1.33.2",
	  "autoUpgradeProfile": {"nodeOsUpgradeChannel": "SecurityPatch", "upgradeChannel": "patch"},
	  "agentPoolProfiles": [
	    {"name": "apps", "mode": "User", "count": 2, "osType": "Linux",
	     "nodeImageVersion": "AKSUbuntu-2204gen2containerd-202502.26.0-2025.03.01",
	     "upgradeSettings": {"maxSurge": "33%"}},
	    {"name": "win", "mode": "User", "count": 1, "osType": "Windows",
	     "nodeImageVersion": "AKSWindows-2022-containerd-20348.3207.250214", "upgradeSettings": null}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	// `az aks maintenanceconfiguration list` prints a bare array.
	configs, err := window.ParseConfigurations([]byte(`[{"name": "aksManagedNodeOSUpgradeSchedule",
	  "maintenanceWindow": {"schedule": {"weekly": {"intervalWeeks": 1, "dayOfWeek": "Sunday"}},
	    "durationHours": 4, "startTime": "00:00", "utcOffset": "+00:00"}}]`))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Abridged `kubectl get nodes -o json`: one apps node was live-patched
	// to the 2025-03-01 snapshot, the other not yet.
	node := func(name, pool, os, image string) string {
		return `{"kind": "Node", "metadata": {"name": "` + name + `", "creationTimestamp": "2025-02-27T08:00:00Z",
		  "labels": {"kubernetes.azure.com/agentpool": "` + pool + `", "kubernetes.io/os": "` + os + `",
		    "kubernetes.azure.com/node-image-version": "` + image + `"}},
		  "status": {"nodeInfo": {"kernelVersion": "5.15.0-1079-azure", "osImage": "Ubuntu 22.04.5 LTS"},
		    "conditions": [{"type": "Ready", "lastHeartbeatTime": "2025-03-03T09:41:07Z"}]}}`
	}
	nodes, err := aks.ParseNodes("nodes.json", []byte(`{"apiVersion": "v1", "kind": "List", "items": [`+
		node("aks-apps-0", "apps", "linux", "AKSUbuntu-2204gen2containerd-202502.26.0-2025.03.01")+","+
		node("aks-apps-1", "apps", "linux", "AKSUbuntu-2204gen2containerd-202502.26.0")+","+
		node("akswin0", "win", "windows", "AKSWindows-2022-containerd-20348.3207.250214")+`]}`))
	if err != nil {
		fmt.Println(err)
		return
	}

	s, warnings, err := aks.Import(cluster, configs, nodes, aks.ImportOptions{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range warnings {
		fmt.Println("warning:", w)
	}
	c := s.Clusters[0]
	fmt.Println(s.Name, s.Start, s.Horizon, s.Replications, "replications")
	fmt.Println(c.NodeOSUpgradeChannel, c.UpgradeChannel, "windowsFallback", c.WindowsFallback, "window", c.MaintenanceConfigurations[0].Name)
	for _, p := range c.Pools {
		fmt.Printf("pool %s: %d %s nodes, maxSurge %s\n", p.Name, p.Count, p.OSType, p.UpgradeSettings.MaxSurge)
		for _, n := range p.InitialNodes {
			fmt.Printf("  %s userspace %s kernel %s\n", n.Name, n.Userspace.Format("2006-01-02"), n.Kernel.Format("2006-01-02"))
		}
	}
	// Output:
	// warning: aks: import: cluster prod: SecurityPatch isn't supported on Windows pools (aks.md 1.5); ASSUMPTION: Windows pools follow NodeImage (windowsFallback), as AKS gives them no SecurityPatch content
	// prod 2025-03-03 09:41:07 +0000 UTC 180d 50 replications
	// SecurityPatch patch windowsFallback NodeImage window aksManagedNodeOSUpgradeSchedule
	// pool apps: 2 Linux nodes, maxSurge 33%
	//   aks-apps-0 userspace 2025-03-01 kernel 2025-02-26
	//   aks-apps-1 userspace 2025-02-26 kernel 2025-02-26
	// pool win: 1 Windows nodes, maxSurge 10%
	//   akswin0 userspace 2025-02-14 kernel 2025-02-14
}
