package channel_test

import (
	"fmt"
	"time"

	"github.com/patchsim/patchsim/channel"
)

func ExampleGenerate() {
	u, err := channel.Generate(channel.DefaultConfig(), 1, date(2025, 1, 1), date(2025, 3, 1))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range u.SecurityPatches.Releases {
		fmt.Printf("snapshot %s new kernel %v\n", r.Version, r.NewKernel)
	}
	fmt.Println("kernels:", len(u.Kernels), "node images:", len(u.NodeImages.Releases), "windows images:", len(u.WindowsImages.Releases))
	// Output:
	// snapshot 20250107T000000Z new kernel false
	// snapshot 20250115T000000Z new kernel true
	// snapshot 20250122T000000Z new kernel false
	// snapshot 20250201T000000Z new kernel true
	// snapshot 20250206T000000Z new kernel false
	// snapshot 20250215T000000Z new kernel false
	// snapshot 20250221T000000Z new kernel true
	// kernels: 3 node images: 4 windows images: 2
}

func ExampleStream_Latest() {
	day := func(d int) time.Time { return time.Date(2024, 5, d, 0, 0, 0, 0, time.UTC) }
	s := &channel.Stream{
		Name: "node-images",
		Releases: []channel.Release{
			{Version: "202405.03.0", Built: day(3), Published: day(6)},
			{Version: "202405.20.0", Built: day(20), Published: day(20)},
		},
		Seed:    1,
		Rollout: channel.DefaultRollout,
	}
	for _, region := range []string{"westeurope", "eastus"} {
		fmt.Printf("%s: %s from %s, %s from %s\n", region,
			s.Releases[0].Version, s.Available(0, region).Format("Jan 2 15:04"),
			s.Releases[1].Version, s.Available(1, region).Format("Jan 2 15:04"))
		for _, t := range []time.Time{day(15), day(26)} {
			if i, ok := s.Latest(t, region); ok {
				fmt.Printf("%s %s: %s\n", region, t.Format("Jan 2"), s.Releases[i].Version)
			} else {
				fmt.Printf("%s %s: none yet\n", region, t.Format("Jan 2"))
			}
		}
	}
	// Output:
	// westeurope: 202405.03.0 from May 19 18:23, 202405.20.0 from Jun 2 18:23
	// westeurope May 15: none yet
	// westeurope May 26: 202405.03.0
	// eastus: 202405.03.0 from May 14 19:32, 202405.20.0 from May 28 19:32
	// eastus May 15: 202405.03.0
	// eastus May 26: 202405.03.0
}

func ExampleResolve() {
	p, err := channel.Resolve(channel.OSLinux, channel.NodeOSSecurityPatch, channel.ClusterStable)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("feed %s, gated %v, kubernetes upgrades %v\n", p.Feed, p.Gated, p.KubernetesUpgrades)
	fmt.Println("snapshot with a kernel newer than the node's:", p.Action(true))
	fmt.Println("snapshot without:", p.Action(false))

	w, _ := channel.Resolve(channel.OSWindows, channel.NodeOSUnmanaged, channel.ClusterNone)
	fmt.Println("Windows Unmanaged:", w.NodeOS, w.Feed, w.Warnings)

	_, err = channel.Resolve(channel.OSWindows, channel.NodeOSSecurityPatch, channel.ClusterNone)
	fmt.Println(err)
	// Output:
	// feed security-patches, gated true, kubernetes upgrades true
	// snapshot with a kernel newer than the node's: reimage
	// snapshot without: live-patch
	// Windows Unmanaged: None none [channel: node OS channel Unmanaged on a Windows pool behaves as None: Windows does not apply patches in place]
	// channel: node OS channel SecurityPatch is not supported on Windows pools
}
