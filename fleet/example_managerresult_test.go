package fleet_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
)

// ring is a two-stage strategy: test, then prod.
func ring() *fleet.UpdateStrategy {
	return &fleet.UpdateStrategy{Stages: []fleet.UpdateStage{stage("test", "test"), stage("prod", "prod")}}
}

// What Fleet Manager did over the run: one update run, two stages, two
// members, and each day's share of the members behind the first stage.
// The test cluster runs the new image from Wednesday 00:25; prod, whose
// window opens only on Thursday night, from Thursday 22:25: at the start
// of Thursday (day 3), prod, one member of two, is behind.
func ExampleManagerResult() {
	res, err := fleet.Run(managerConfig(fleet.Manager{Strategy: ring()}, member("test", nights()), member("prod", nights(time.Thursday))))
	if err != nil {
		fmt.Println(err)
		return
	}
	m := res.Manager
	fmt.Println(len(m.Runs), "run,", len(m.Stages), "stages,", len(m.Members), "members")
	fmt.Println("behind the first stage:", m.BehindFirstStage[:7])
	// Output:
	// 1 run, 2 stages, 2 members
	// behind the first stage: [0 0 0 0.5 0 0 0]
}

// An update run: the release that created it and how it went.
func ExampleUpdateRun() {
	res, err := fleet.Run(managerConfig(fleet.Manager{Strategy: ring()}, member("test", nights()), member("prod", nights())))
	if err != nil {
		fmt.Println(err)
		return
	}
	run := res.Manager.Runs[0]
	fmt.Printf("%s by profile %s: published %s, created %s, started %s, ended %s, %s\n", run.Release, run.Profile,
		hm(run.Published), hm(run.Created), hm(run.Start), hm(run.End), run.State)
	// Output:
	// 202503.04.0 by profile nodeimage: published Wed 00:00, created Wed 00:00, started Wed 00:00, ended Wed 00:50, Completed
}

// A stage's Done is when its last member is done; its End when the run
// may go on: after the stage's wait (12 hours) and its after-stage
// approval (granted 18 hours after the run reaches it), which run at the
// same time, so 18 hours after Done. prod then waits for Wednesday
// night's window.
func ExampleUpdateStageRun() {
	strategy := ring()
	strategy.Stages[0].AfterStageWait = 12 * time.Hour
	strategy.Stages[0].AfterApprovals = []fleet.Approval{{Name: "test sign-off"}}
	res, err := fleet.Run(managerConfig(fleet.Manager{Strategy: strategy, Policy: fleet.ManagerPolicy{ApprovalDelay: fleet.Fixed(18 * time.Hour)}},
		member("test", nights()), member("prod", nights())))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, st := range res.Manager.Runs[0].Stages {
		fmt.Printf("%s: start %s, done %s, end %s\n", st.Name, hm(st.Start), hm(st.Done), hm(st.End))
	}
	// Output:
	// test: start Wed 00:00, done Wed 00:25, end Wed 18:25
	// prod: start Wed 18:25, done Wed 22:25, end Wed 22:25
}

// A stage summed over the runs. A second image comes out on Saturday
// 12:00, outside the weeknight windows: its run waits for Monday 22:00.
// The test stage is done 25 minutes after the first release and 58h25m
// after the second (Saturday 12:00 to Monday 22:25): 29h25m on average;
// prod 25 minutes later in both.
func ExampleUpdateStageResult() {
	cfg := managerConfig(fleet.Manager{Strategy: ring()}, member("test", nights()), member("prod", nights()))
	fri := exampleStart.AddDate(0, 0, 4)
	cfg.Upstream.NodeImages.Releases = append(cfg.Upstream.NodeImages.Releases,
		channel.Release{Version: "202503.07.0", Cut: fri, Built: fri, Published: fri.Add(36 * time.Hour)})
	res, err := fleet.Run(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, st := range res.Manager.Stages {
		fmt.Printf("%s %v: %d runs done, release to done %v on average, %v at most\n", st.Name, st.Members, st.Completed, st.MeanReleaseToDone, st.MaxReleaseToDone)
	}
	// Output:
	// test [test]: 2 runs done, release to done 29h25m0s on average, 58h25m0s at most
	// prod [prod]: 2 runs done, release to done 29h50m0s on average, 58h50m0s at most
}

// A member's part in a run: reached on Wednesday 00:00, Pending until its
// Saturday window, then upgraded to the run's image.
func ExampleMemberRun() {
	res, err := fleet.Run(managerConfig(fleet.Manager{}, member("prod", nights(time.Saturday))))
	if err != nil {
		fmt.Println(err)
		return
	}
	m := res.Manager.Runs[0].Stages[0].Members[0]
	fmt.Printf("%s in group %s: reached %s, started %s, ended %s, %s to %s\n", m.Cluster, m.Group, hm(m.Reached), hm(m.Start), hm(m.End), m.State, m.Target)
	fmt.Printf("pending %d time(s), last because %s\n", m.Pending, m.Reason)
	// Output:
	// prod in group default: reached Wed 00:00, started Sat 22:00, ended Sat 22:25, Completed to 202503.04.0
	// pending 1 time(s), last because MaintenanceWindowClosed
}

// Each member's vulnerable node-days: Monday noon's high advisory stays on
// a node until its reimage. test's nodes are done on Wednesday at 00:15
// and 00:25 (36h15m + 36h25m = 3.03 node-days), prod's on Wednesday night
// at 22:15 and 22:25 (58h15m + 58h25m = 4.86).
func ExampleMemberResult() {
	res, err := fleet.Run(managerConfig(fleet.Manager{Strategy: ring()}, member("test", nights()), member("prod", nights(time.Wednesday))))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range res.Manager.Members {
		fmt.Printf("%s (stage %s): %.2f high vulnerable node-days\n", m.Cluster, m.Stage, m.VulnerableNodeDays[channel.High])
	}
	// Output:
	// test (stage test): 3.03 high vulnerable node-days
	// prod (stage prod): 4.86 high vulnerable node-days
}

// An update run's states, by their API names, as JSON writes them. A run
// whose last member had not finished by the end of the simulation is
// Running.
func ExampleRunState() {
	b, _ := json.Marshal([]fleet.RunState{fleet.RunNotStarted, fleet.RunRunning, fleet.RunCompleted, fleet.RunFailed, fleet.RunStopped})
	fmt.Println(string(b))
	cfg := managerConfig(fleet.Manager{}, member("prod", nights(time.Saturday)))
	cfg.Horizon = 4 * 24 * time.Hour
	res, err := fleet.Run(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Manager.Runs[0].State)
	// Output:
	// ["NotStarted","Running","Completed","Failed","Stopped"]
	// Running
}

// A member's states in a run, by their API names, as JSON writes them.
func ExampleMemberState() {
	b, _ := json.Marshal([]fleet.MemberState{fleet.MemberNotStarted, fleet.MemberPending, fleet.MemberRunning, fleet.MemberCompleted, fleet.MemberSkipped, fleet.MemberFailed})
	fmt.Println(string(b))
	// Output:
	// ["NotStarted","Pending","Running","Completed","Skipped","Failed"]
}

// Why a member is Pending, by the names the API gives; PendingNone, for a
// member that never was, is empty.
func ExamplePendingReason() {
	for _, r := range []fleet.PendingReason{fleet.PendingNone, fleet.PendingWindow, fleet.PendingRegion, fleet.PendingBusy} {
		fmt.Printf("%q\n", r)
	}
	// Output:
	// ""
	// "MaintenanceWindowClosed"
	// "VersionNotAvailable"
	// "OperationInProgress"
}
