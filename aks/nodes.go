package aks

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Node labels the reader uses.
const (
	LabelAgentPool = "kubernetes.azure.com/agentpool"
	// LabelAgentPoolLegacy names the pool on nodes of older clusters, which
	// lack LabelAgentPool; both carry the agent pool's name.
	LabelAgentPoolLegacy = "agentpool"
	LabelImageVersion    = "kubernetes.azure.com/node-image-version"
	LabelOS              = "kubernetes.io/os"
	LabelRegion          = "topology.kubernetes.io/region"
	LabelInstanceType    = "node.kubernetes.io/instance-type"
)

// NodeList is what the model needs from `kubectl get nodes -o json`.
type NodeList struct {
	// Observed is when the list was observed: the newest
	// status.conditions[].lastHeartbeatTime over all nodes, in UTC. The
	// kubelet refreshes heartbeats every few minutes, so this is the
	// snapshot's time to within that period without a wall clock.
	Observed time.Time
	// Nodes are the nodes the model can use, in document order.
	Nodes []Node
	// Rejected lists the problems of the nodes left out of Nodes because a
	// label the model needs is missing or unreadable: the agent pool, the
	// OS, or a node image version in an unknown format (or for the other
	// OS). Each names the file, the JSON path, the node and the value, so
	// a caller can report them as warnings; a node with any other problem
	// makes ParseNodes fail instead. Every node of the list is in Nodes or
	// here, so Nodes may be empty.
	Rejected []*Error
}

// Node is one node of a NodeList.
type Node struct {
	Name    string    // metadata.name; required, unique
	Created time.Time // metadata.creationTimestamp, UTC; required
	Pool    string    // label kubernetes.azure.com/agentpool, or agentpool on older clusters; required
	// OS is label kubernetes.io/os in the agent pool osType spelling,
	// "Linux" or "Windows"; required, and must match Image.OS.
	OS           string
	Region       string       // label topology.kubernetes.io/region; "" when absent
	InstanceType string       // label node.kubernetes.io/instance-type; "" when absent
	Image        ImageVersion // label kubernetes.azure.com/node-image-version; required
	// KernelVersion and OSImage are status.nodeInfo.kernelVersion and
	// .osImage, e.g. "5.15.0-1073-azure" and "Ubuntu 22.04.5 LTS"; required.
	KernelVersion string
	OSImage       string
	// LastHeartbeat is the newest status.conditions[].lastHeartbeatTime,
	// UTC; zero when the node reports none.
	LastHeartbeat time.Time
}

type wireList struct {
	APIVersion json.RawMessage `json:"apiVersion"`
	Kind       json.RawMessage `json:"kind"`
	Items      json.RawMessage `json:"items"`
}

type wireNode struct {
	Kind     json.RawMessage `json:"kind"`
	Metadata json.RawMessage `json:"metadata"`
	Status   json.RawMessage `json:"status"`
}

type wireMeta struct {
	Name              json.RawMessage `json:"name"`
	CreationTimestamp json.RawMessage `json:"creationTimestamp"`
	Labels            json.RawMessage `json:"labels"`
}

type wireStatus struct {
	NodeInfo   json.RawMessage `json:"nodeInfo"`
	Conditions json.RawMessage `json:"conditions"`
}

type wireNodeInfo struct {
	KernelVersion json.RawMessage `json:"kernelVersion"`
	OSImage       json.RawMessage `json:"osImage"`
}

type wireCondition struct {
	LastHeartbeatTime json.RawMessage `json:"lastHeartbeatTime"`
}

// ParseNodes reads `kubectl get nodes -o json` (apiVersion v1, kind List),
// the API's NodeList, or a single Node (`kubectl get node NAME -o json`).
// Unknown fields are ignored. file names the input in errors and may be "".
// Every node's image version is parsed or reported: a node whose pool, OS or
// image version label is missing or unreadable, and that has no other
// problem, is left out and its problems listed in [NodeList.Rejected]. Any
// other problem is an error, the errors.Join of one *Error per problem.
func ParseNodes(file string, data []byte) (*NodeList, error) {
	d := &decoder{file: file}
	var top wireList
	if !d.document(data, &top) {
		return nil, errors.Join(d.errs...)
	}
	if v, ok := d.required("apiVersion", "", top.APIVersion, `"v1"`); ok && v != "v1" {
		d.fail("apiVersion", "", top.APIVersion, `want "v1"`)
	}
	var items []json.RawMessage
	var paths []string
	switch kind, _ := d.required("kind", "", top.Kind, "List, NodeList or Node"); kind {
	case "List", "NodeList":
		items = d.array("items", "", top.Items)
		for i := range items {
			paths = append(paths, fmt.Sprintf("items[%d].", i))
		}
		if len(items) == 0 && !d.failedAt("items") {
			d.fail("items", "", top.Items, "required: at least one node")
		}
	case "Node":
		items, paths = []json.RawMessage{data}, []string{""}
	case "":
	default:
		d.fail("kind", "", top.Kind, "want List, NodeList or Node")
	}

	l := &NodeList{}
	seen := map[string]string{}
	for i, raw := range items {
		n, rejected, ok := node(d, paths[i], raw)
		if !ok {
			continue
		}
		if prev, dup := seen[n.Name]; dup {
			d.fail(paths[i]+"metadata.name", "", json.RawMessage(strconv.Quote(n.Name)), "duplicate node name (also %smetadata.name)", prev)
			continue
		}
		seen[n.Name] = paths[i]
		if n.LastHeartbeat.After(l.Observed) {
			l.Observed = n.LastHeartbeat
		}
		if len(rejected) > 0 {
			l.Rejected = append(l.Rejected, rejected...)
			continue
		}
		l.Nodes = append(l.Nodes, n)
	}
	if len(d.errs) == 0 && l.Observed.IsZero() {
		d.fail("", "", nil, "no node reports status.conditions[].lastHeartbeatTime: the observation time is unknown")
	}
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	return l, nil
}

// node reads one node at path (a prefix ending in "." or ""); ok is false if
// it has problems (reported in d). When its only problems are in the
// labels of the pool, the OS and the image version, ok is true and they are
// returned as rejected instead.
func node(d *decoder, path string, raw json.RawMessage) (n Node, rejected []*Error, ok bool) {
	before := len(d.errs)
	at := func(p string) string { return path + p }
	var w wireNode
	if !d.object(trimDot(path), "", raw, &w) {
		if isNull(raw) {
			d.fail(trimDot(path), "", raw, "want a Node object")
		}
		return Node{}, nil, false
	}
	if k, ok := d.str(at("kind"), "", w.Kind); ok && k != "Node" {
		d.fail(at("kind"), "", w.Kind, `want "Node"`)
	}
	var meta wireMeta
	if !d.object(at("metadata"), "", w.Metadata, &meta) && isNull(w.Metadata) {
		d.fail(at("metadata"), "", w.Metadata, "required: the node's metadata")
	}
	n.Name, _ = d.required(at("metadata.name"), "", meta.Name, "the node name")
	obj := ""
	if n.Name != "" {
		obj = "node " + strconv.Quote(n.Name)
	}
	if ts, ok := d.required(at("metadata.creationTimestamp"), obj, meta.CreationTimestamp, "RFC 3339 time"); ok {
		if t, err := time.Parse(time.RFC3339, ts); err != nil {
			d.fail(at("metadata.creationTimestamp"), obj, meta.CreationTimestamp, "want an RFC 3339 time")
		} else {
			n.Created = t.UTC()
		}
	}

	// Problems from here to labelsEnd are the label problems that reject
	// the node rather than fail the list.
	labelsStart := len(d.errs)
	var labels map[string]json.RawMessage
	if !d.object(at("metadata.labels"), obj, meta.Labels, &labels) && isNull(meta.Labels) {
		d.fail(at("metadata.labels"), obj, meta.Labels, "required: the node's labels")
	}
	label := func(key string, required bool) (string, json.RawMessage, bool) {
		p := at(fmt.Sprintf("metadata.labels[%q]", key))
		if required {
			v, ok := d.required(p, obj, labels[key], "label "+key)
			return v, labels[key], ok
		}
		v, ok := d.str(p, obj, labels[key])
		return v, labels[key], ok
	}
	if isNull(labels[LabelAgentPool]) && !isNull(labels[LabelAgentPoolLegacy]) {
		n.Pool, _, _ = label(LabelAgentPoolLegacy, true)
	} else {
		n.Pool, _, _ = label(LabelAgentPool, true)
	}
	if os, raw, ok := label(LabelOS, true); ok {
		switch os {
		case "linux":
			n.OS = "Linux"
		case "windows":
			n.OS = "Windows"
		default:
			d.fail(at(fmt.Sprintf("metadata.labels[%q]", LabelOS)), obj, raw, `want "linux" or "windows"`)
		}
	}
	if img, raw, ok := label(LabelImageVersion, true); ok {
		p := at(fmt.Sprintf("metadata.labels[%q]", LabelImageVersion))
		v, msg := parseImageVersion(img)
		switch {
		case msg != "":
			d.fail(p, obj, raw, "%s", msg)
		case n.OS != "" && v.OS != n.OS:
			d.fail(p, obj, raw, "a %s image on a node labelled %s=%s", v.OS, LabelOS, labels[LabelOS])
		default:
			n.Image = v
		}
	}
	labelsEnd := len(d.errs)
	n.Region, _, _ = label(LabelRegion, false)
	n.InstanceType, _, _ = label(LabelInstanceType, false)

	var st wireStatus
	var info wireNodeInfo
	d.object(at("status"), obj, w.Status, &st)
	if !d.object(at("status.nodeInfo"), obj, st.NodeInfo, &info) && isNull(st.NodeInfo) {
		d.fail(at("status.nodeInfo"), obj, st.NodeInfo, "required: kernelVersion and osImage")
	} else {
		n.KernelVersion, _ = d.required(at("status.nodeInfo.kernelVersion"), obj, info.KernelVersion, "the kernel version")
		n.OSImage, _ = d.required(at("status.nodeInfo.osImage"), obj, info.OSImage, "the OS image name")
	}
	for i, raw := range d.array(at("status.conditions"), obj, st.Conditions) {
		p := at(fmt.Sprintf("status.conditions[%d]", i))
		var c wireCondition
		if !d.object(p, obj, raw, &c) {
			continue
		}
		ts, ok := d.str(p+".lastHeartbeatTime", obj, c.LastHeartbeatTime)
		if !ok {
			continue
		}
		t, err := time.Parse(time.RFC3339, ts)
		if err != nil {
			d.fail(p+".lastHeartbeatTime", obj, c.LastHeartbeatTime, "want an RFC 3339 time")
			continue
		}
		if t.After(n.LastHeartbeat) {
			n.LastHeartbeat = t.UTC()
		}
	}
	if labelsStart == before && labelsEnd == len(d.errs) && labelsEnd > labelsStart {
		for _, err := range d.errs[labelsStart:] {
			rejected = append(rejected, err.(*Error))
		}
		d.errs = d.errs[:labelsStart]
	}
	return n, rejected, len(d.errs) == before
}

// trimDot turns a path prefix "items[3]." into the path "items[3]".
func trimDot(prefix string) string {
	if prefix == "" {
		return ""
	}
	return prefix[:len(prefix)-1]
}
