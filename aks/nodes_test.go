package aks

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseNodes(t *testing.T) {
	t.Parallel()
	l, err := ParseNodes("nodes.json", readTestdata(t, "nodes.json"))
	require.NoError(t, err)
	// The newest heartbeat of all nodes' conditions.
	assert.Equal(t, time.Date(2025, 3, 3, 9, 43, 52, 0, time.UTC), l.Observed)
	require.Len(t, l.Nodes, 4)
	assert.Equal(t, Node{
		Name:          "aks-system-12345678-vmss000000",
		Created:       time.Date(2024, 11, 4, 8, 12, 31, 0, time.UTC),
		Pool:          "system",
		OS:            "Linux",
		Region:        "westeurope",
		InstanceType:  "Standard_D4ds_v5",
		Image:         mustImage(t, "AKSUbuntu-2204gen2containerd-202410.27.0-2024.12.01"),
		KernelVersion: "5.15.0-1075-azure",
		OSImage:       "Ubuntu 22.04.5 LTS",
		LastHeartbeat: time.Date(2025, 3, 3, 9, 41, 7, 0, time.UTC),
	}, l.Nodes[0])
	assert.Equal(t, time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC), l.Nodes[1].Image.SecurityPatch)
	win := l.Nodes[2]
	assert.Equal(t, "Windows", win.OS)
	assert.Equal(t, "win", win.Pool)
	assert.Equal(t, "Windows", win.Image.OS)
	assert.Equal(t, time.Date(2025, 2, 14, 0, 0, 0, 0, time.UTC), win.Image.Built)
	assert.Equal(t, "10.0.20348.3207", win.KernelVersion)
	old := l.Nodes[3]
	assert.Equal(t, "2022.04.19", old.Image.Version)
	assert.Equal(t, time.Date(2022, 4, 19, 0, 0, 0, 0, time.UTC), old.Image.Built)
	assert.True(t, old.Image.SecurityPatch.IsZero())
}

func TestParseNodesBadFile(t *testing.T) {
	t.Parallel()
	const f = "nodes-bad.json"
	// Only the bad creation time fails the list; the label problems of the
	// other nodes would only reject them.
	l, err := ParseNodes(f, readTestdata(t, f))
	assert.Nil(t, l)
	assert.Equal(t, []problem{
		{f, `items[3].metadata.creationTimestamp`, `"02/05/2022 10:00"`},
	}, problems(t, err))
}

func TestParseNodesRejected(t *testing.T) {
	t.Parallel()
	const f = "nodes-bad.json"
	data := strings.Replace(string(readTestdata(t, f)), `"02/05/2022 10:00"`, `"2022-05-02T10:00:00Z"`, 1)
	l, err := ParseNodes(f, []byte(data))
	require.NoError(t, err)
	// items[1] carries only the agentpool label of older clusters: it
	// belongs to its pool.
	require.Len(t, l.Nodes, 2)
	assert.Equal(t, "aks-system-12345678-vmss000001", l.Nodes[0].Name)
	assert.Equal(t, "system", l.Nodes[0].Pool)
	assert.Equal(t, "aks-legacy-87654321-vmss000000", l.Nodes[1].Name)
	var got []problem
	var msgs []string
	for _, e := range l.Rejected {
		got = append(got, problem{e.File, e.Path, e.Value})
		msgs = append(msgs, e.Error())
	}
	assert.Equal(t, []problem{
		{f, `items[0].metadata.labels["kubernetes.azure.com/node-image-version"]`, `"AKSUbuntu-2204gen2containerd-latest"`},
		{f, `items[2].metadata.labels["kubernetes.azure.com/node-image-version"]`, `"AKSWindows-2022-containerd-20348.3207.250214"`},
	}, got)
	assert.Equal(t, `aks: nodes-bad.json: items[0].metadata.labels["kubernetes.azure.com/node-image-version"] (node "aks-system-12345678-vmss000000") = "AKSUbuntu-2204gen2containerd-latest": node image version: bad Linux version "latest"; `+imageFormat, msgs[0])
	assert.Contains(t, msgs[1], `(node "akswin000000")`)
	// Rejected nodes still date the observation.
	assert.False(t, l.Observed.Before(l.Nodes[0].LastHeartbeat))
}

// nodeDoc is a minimal node; edit splices JSON into its top level.
func nodeDoc(labels, status, extra string) string {
	return `{"apiVersion": "v1", "kind": "Node"` + extra + `, "metadata": {"name": "n1", "creationTimestamp": "2025-03-01T10:00:00Z", "labels": {` + labels + `}},` +
		`"status": ` + status + `}`
}

const (
	goodLabels = `"kubernetes.azure.com/agentpool": "np", "kubernetes.io/os": "linux", "kubernetes.azure.com/node-image-version": "AKSUbuntu-2204gen2containerd-202502.26.0"`
	goodStatus = `{"nodeInfo": {"kernelVersion": "5.15.0-1079-azure", "osImage": "Ubuntu 22.04.5 LTS"}, "conditions": [{"type": "Ready", "status": "True", "lastHeartbeatTime": "2025-03-03T09:00:00Z"}, {"type": "MemoryPressure", "lastHeartbeatTime": "2025-03-03T09:05:00.5+01:00"}]}`
)

func TestParseNodesShapes(t *testing.T) {
	t.Parallel()
	node := nodeDoc(goodLabels, goodStatus, "")
	for name, doc := range map[string]string{
		"single Node": node,
		"List":        `{"apiVersion": "v1", "kind": "List", "items": [` + node + `], "metadata": {"resourceVersion": ""}}`,
		"NodeList":    `{"apiVersion": "v1", "kind": "NodeList", "items": [` + strings.Replace(node, `"kind": "Node"`, `"x": 1`, 1) + `]}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			l, err := ParseNodes("", []byte(doc))
			require.NoError(t, err)
			require.Len(t, l.Nodes, 1)
			n := l.Nodes[0]
			assert.Equal(t, "np", n.Pool)
			assert.Equal(t, "", n.Region)
			assert.Equal(t, "", n.InstanceType)
			// 09:05:00.5+01:00 is 08:05:00.5 UTC, older than 09:00.
			assert.Equal(t, time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC), n.LastHeartbeat)
			assert.Equal(t, n.LastHeartbeat, l.Observed)
		})
	}
}

func TestParseNodesErrors(t *testing.T) {
	t.Parallel()
	list := func(items ...string) string {
		return `{"apiVersion": "v1", "kind": "List", "items": [` + strings.Join(items, ",") + `]}`
	}
	good := nodeDoc(goodLabels, goodStatus, "")
	tests := []struct {
		name, doc string
		want      []problem
	}{
		{"not JSON", `{`, []problem{{"n.json", "", ""}}},
		{"no kind", `{"apiVersion": "v1", "items": []}`, []problem{{"n.json", "kind", ""}}},
		{"wrong kind", `{"apiVersion": "v1", "kind": "PodList", "items": []}`, []problem{{"n.json", "kind", `"PodList"`}}},
		{"wrong apiVersion", `{"apiVersion": "v2", "kind": "List", "items": [` + good + `]}`, []problem{{"n.json", "apiVersion", `"v2"`}}},
		{"no items", `{"apiVersion": "v1", "kind": "List", "items": []}`, []problem{{"n.json", "items", "[]"}}},
		{"item not a node", list(`{"kind": "Pod", "metadata": {"name": "p"}}`), []problem{
			{"n.json", "items[0].kind", `"Pod"`},
			{"n.json", "items[0].metadata.creationTimestamp", ""},
			{"n.json", "items[0].metadata.labels", ""},
			{"n.json", `items[0].metadata.labels["kubernetes.azure.com/agentpool"]`, ""},
			{"n.json", `items[0].metadata.labels["kubernetes.io/os"]`, ""},
			{"n.json", `items[0].metadata.labels["kubernetes.azure.com/node-image-version"]`, ""},
			{"n.json", "items[0].status.nodeInfo", ""},
		}},
		{"duplicate", list(good, good), []problem{{"n.json", "items[1].metadata.name", `"n1"`}}},
		{"no heartbeat", list(nodeDoc(goodLabels, `{"nodeInfo": {"kernelVersion": "k", "osImage": "o"}}`, "")), []problem{{"n.json", "", ""}}},
		{"bad values", list(nodeDoc(goodLabels+`, "topology.kubernetes.io/region": 3`,
			`{"nodeInfo": {"kernelVersion": "", "osImage": "o"}, "conditions": [7, {"lastHeartbeatTime": "yesterday"}]}`, "")), []problem{
			{"n.json", `items[0].metadata.labels["topology.kubernetes.io/region"]`, "3"},
			{"n.json", "items[0].status.nodeInfo.kernelVersion", `""`},
			{"n.json", "items[0].status.conditions[0]", "7"},
			{"n.json", "items[0].status.conditions[1].lastHeartbeatTime", `"yesterday"`},
		}},
		{"label problems with another problem", list(nodeDoc(`"kubernetes.io/os": "Linux"`, `{"nodeInfo": {"osImage": "o"}}`, "")), []problem{
			{"n.json", `items[0].metadata.labels["kubernetes.azure.com/agentpool"]`, ""},
			{"n.json", `items[0].metadata.labels["kubernetes.io/os"]`, `"Linux"`},
			{"n.json", `items[0].metadata.labels["kubernetes.azure.com/node-image-version"]`, ""},
			{"n.json", "items[0].status.nodeInfo.kernelVersion", ""},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l, err := ParseNodes("n.json", []byte(tc.doc))
			assert.Nil(t, l)
			assert.Equal(t, tc.want, problems(t, err))
		})
	}
}

func TestParseNodesRejectedLabels(t *testing.T) {
	t.Parallel()
	good := nodeDoc(goodLabels, goodStatus, "")
	tests := []struct {
		name, labels string
		want         []problem
	}{
		{"bad os label", strings.Replace(goodLabels, `"linux"`, `"Linux"`, 1), []problem{
			{"n.json", `items[1].metadata.labels["kubernetes.io/os"]`, `"Linux"`},
		}},
		{"no labels", ``, []problem{
			{"n.json", `items[1].metadata.labels["kubernetes.azure.com/agentpool"]`, ""},
			{"n.json", `items[1].metadata.labels["kubernetes.io/os"]`, ""},
			{"n.json", `items[1].metadata.labels["kubernetes.azure.com/node-image-version"]`, ""},
		}},
		{"windows image on a linux node", strings.Replace(goodLabels, "AKSUbuntu-2204gen2containerd-202502.26.0", "AKSWindows-2022-containerd-20348.3207.250214", 1), []problem{
			{"n.json", `items[1].metadata.labels["kubernetes.azure.com/node-image-version"]`, `"AKSWindows-2022-containerd-20348.3207.250214"`},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			bad := strings.Replace(nodeDoc(tc.labels, goodStatus, ""), `"n1"`, `"n2"`, 1)
			l, err := ParseNodes("n.json", []byte(`{"apiVersion": "v1", "kind": "List", "items": [`+good+`,`+bad+`]}`))
			require.NoError(t, err)
			require.Len(t, l.Nodes, 1)
			assert.Equal(t, "n1", l.Nodes[0].Name)
			var got []problem
			for _, e := range l.Rejected {
				assert.Equal(t, `node "n2"`, e.Object)
				got = append(got, problem{e.File, e.Path, e.Value})
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// Nodes of older clusters carry only the agentpool label: they belong to
// that pool instead of being left out.
func TestParseNodesLegacyPoolLabel(t *testing.T) {
	t.Parallel()
	legacy := strings.Replace(goodLabels, `"kubernetes.azure.com/agentpool"`, `"agentpool"`, 1)
	require.NotEqual(t, goodLabels, legacy)
	l, err := ParseNodes("", []byte(nodeDoc(legacy, goodStatus, "")))
	require.NoError(t, err)
	require.Len(t, l.Nodes, 1)
	assert.Equal(t, "np", l.Nodes[0].Pool)
	assert.Empty(t, l.Rejected)
	// Both labels: the current one is read.
	both := strings.Replace(goodLabels, `"kubernetes.azure.com/agentpool": "np"`, `"kubernetes.azure.com/agentpool": "np", "agentpool": "old"`, 1)
	require.NotEqual(t, goodLabels, both)
	l, err = ParseNodes("", []byte(nodeDoc(both, goodStatus, "")))
	require.NoError(t, err)
	assert.Equal(t, "np", l.Nodes[0].Pool)
}
