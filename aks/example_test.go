package aks_test

import (
	"errors"
	"fmt"

	"github.com/patchsim/patchsim/aks"
)

func ExampleParseCluster() {
	// Abridged `az aks show -o json`: az flattens properties and prints
	// nodeOsUpgradeChannel and osSku; unset values are null.
	data := []byte(`{
	  "name": "prod", "location": "westeurope",
	  "kubernetesVersion": "1.33", "currentKubernetesVersion": "1.33.2",
	  "autoUpgradeProfile": {"nodeOsUpgradeChannel": "SecurityPatch", "upgradeChannel": null},
	  "agentPoolProfiles": [{
	    "name": "system", "mode": "System", "count": 3, "osType": "Linux", "osSku": "Ubuntu",
	    "nodeImageVersion": "AKSUbuntu-2204gen2containerd-202410.27.0-2024.12.01",
	    "upgradeSettings": {"maxSurge": "33%", "drainTimeoutInMinutes": null}
	  }]
	}`)
	c, err := aks.ParseCluster("cluster.json", data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Location, c.UpgradeChannel, c.NodeOSUpgradeChannel)
	for _, p := range c.Pools {
		u := p.Upgrade
		fmt.Printf("%s: %d nodes, surge %s = %d, drain timeout %v, %s\n",
			p.Name, p.Count, u.MaxSurge, u.MaxSurge.Resolve(p.Count), u.DrainTimeout, u.Undrainable)
	}
	fmt.Println("defaulted:", c.Defaulted[:2])
	// Output:
	// westeurope none SecurityPatch
	// system: 3 nodes, surge 33% = 1, drain timeout 30m0s, Schedule
	// defaulted: [autoUpgradeProfile.upgradeChannel agentPoolProfiles[0].upgradeSettings.maxUnavailable]
}

func ExampleParseCluster_errors() {
	data := []byte(`{"location": "westeurope", "kubernetesVersion": "1.33",
	  "agentPoolProfiles": [{"name": "apps", "mode": "User", "count": 4, "osType": "Linux",
	    "nodeImageVersion": "AKSUbuntu-2204gen2containerd-202410.27.0",
	    "upgradeSettings": {"maxSurge": "150%", "nodeSoakDurationInMinutes": 60}}]}`)
	_, err := aks.ParseCluster("cluster.json", data)
	fmt.Println(err)
	var e *aks.Error
	if errors.As(err, &e) {
		fmt.Printf("first: path %s, value %s\n", e.Path, e.Value)
	}
	// Output:
	// aks: cluster.json: agentPoolProfiles[0].upgradeSettings.maxSurge (pool "apps") = "150%": "150%" is over 100%
	// aks: cluster.json: agentPoolProfiles[0].upgradeSettings.nodeSoakDurationInMinutes (pool "apps") = 60: 1h0m0s is outside 0 to 30 minutes
	// first: path agentPoolProfiles[0].upgradeSettings.maxSurge, value "150%"
}

func ExampleParseNodes() {
	// Abridged `kubectl get nodes -o json`.
	data := []byte(`{"apiVersion": "v1", "kind": "List", "items": [{
	  "apiVersion": "v1", "kind": "Node",
	  "metadata": {"name": "aks-system-12345678-vmss000000", "creationTimestamp": "2024-11-04T08:12:31Z",
	    "labels": {"kubernetes.azure.com/agentpool": "system", "kubernetes.io/os": "linux",
	      "kubernetes.azure.com/node-image-version": "AKSUbuntu-2204gen2containerd-202410.27.0-2024.12.01",
	      "topology.kubernetes.io/region": "westeurope", "node.kubernetes.io/instance-type": "Standard_D4ds_v5"}},
	  "status": {"nodeInfo": {"kernelVersion": "5.15.0-1075-azure", "osImage": "Ubuntu 22.04.5 LTS"},
	    "conditions": [{"type": "Ready", "status": "True", "lastHeartbeatTime": "2025-03-03T09:41:07Z"}]}
	}]}`)
	l, err := aks.ParseNodes("nodes.json", data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("observed", l.Observed)
	for _, n := range l.Nodes {
		fmt.Println(n.Name, n.Pool, n.OS, n.Region, n.InstanceType, n.KernelVersion)
		fmt.Println("image built", n.Image.Built.Format("2006-01-02"), "patched", n.Image.SecurityPatch.Format("2006-01-02"))
	}
	// Output:
	// observed 2025-03-03 09:41:07 +0000 UTC
	// aks-system-12345678-vmss000000 system Linux westeurope Standard_D4ds_v5 5.15.0-1075-azure
	// image built 2024-10-27 patched 2024-12-01
}

func ExampleParseImageVersion() {
	for _, s := range []string{
		"AKSUbuntu-2204gen2containerd-202410.27.0-2024.12.01",
		"AKSUbuntu-1804gen2containerd-2022.04.19",
		"AKSWindows-23H2-gen2-25398.1425.250214",
		"AKSUbuntu-2204gen2containerd-latest",
	} {
		v, err := aks.ParseImageVersion(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s %q %s %s built %s rebuild %d patched %v\n", v.Gallery, v.Definition, v.Version, v.OS,
			v.Built.Format("2006-01-02"), v.Rebuild, !v.SecurityPatch.IsZero())
	}
	// Output:
	// AKSUbuntu "2204gen2containerd" 202410.27.0 Linux built 2024-10-27 rebuild 0 patched true
	// AKSUbuntu "1804gen2containerd" 2022.04.19 Linux built 2022-04-19 rebuild 0 patched false
	// AKSWindows "23H2-gen2" 25398.1425.250214 Windows built 2025-02-14 rebuild 0 patched false
	// aks: "AKSUbuntu-2204gen2containerd-latest": node image version: bad Linux version "latest"; want <gallery>-<definition>-<version>[-<YYYY.MM.DD>] with a Linux version YYYYMM.DD.N or YYYY.MM.DD, or a Windows version <build>.<UBR>.<YYMMDD>
}
