package aks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/plan"
)

// Cluster is what the model needs from an AKS managed cluster.
type Cluster struct {
	Name     string // cluster name; "" when the document has none (a PUT body)
	Location string // Azure region, e.g. "westeurope"; required
	// KubernetesVersion is the configured version, "1.35" or "1.35.7";
	// CurrentKubernetesVersion the running one, "" when not printed. At
	// least one is required.
	KubernetesVersion        string
	CurrentKubernetesVersion string
	// UpgradeChannel is the cluster auto-upgrade channel: none, patch,
	// stable, rapid or node-image (aks.md section 2); absent or null means
	// none, the API default.
	UpgradeChannel string
	// NodeOSUpgradeChannel is None, Unmanaged, SecurityPatch or NodeImage
	// (aks.md section 1); absent or null means NodeImage, the default since
	// API 2023-06-01 (aks.md 1.1).
	NodeOSUpgradeChannel string
	Pools                []Pool // agentPoolProfiles in document order; at least one
	// Defaulted lists, in document order, the JSON paths of fields that
	// were absent or null and took the AKS default.
	Defaulted []string
}

// Pool is one agent pool (agentPoolProfiles[]).
type Pool struct {
	Name   string // required, ^[a-z][a-z0-9]{0,11}$ (AKS REST API, agentPoolName), unique in the cluster
	Mode   string // "System" or "User" (matched in any case), or another mode as written; required
	OSType string // "Linux" or "Windows"; required
	OSSKU  string // e.g. "Ubuntu", "AzureLinux", "Windows2022", as written; "" when null
	Count  int    // current number of nodes, 0..1000; required
	// OrchestratorVersion and CurrentOrchestratorVersion are the pool's
	// configured and running Kubernetes versions; "" when not printed.
	OrchestratorVersion        string
	CurrentOrchestratorVersion string
	NodeImageVersion           ImageVersion // required; its OS must match OSType
	// Upgrade are the pool's upgradeSettings (aks.md 4.1), read by
	// plan.UpgradeSettings.Settings and checked by fleet's rules, with the
	// AKS default in place of every absent or null field: maxSurge 10% when
	// the pool's Kubernetes version is 1.32 or later and 1 node before
	// (fleet.DefaultMaxSurge; the pool's version is the first set of
	// currentOrchestratorVersion, orchestratorVersion,
	// currentKubernetesVersion, kubernetesVersion), the others
	// fleet.UpgradeSettings.WithDefaults. upgradeSettings itself may be
	// absent, null or {}.
	Upgrade fleet.UpgradeSettings
	// Autoscale is enableAutoScaling; MinCount and MaxCount are its bounds
	// (minCount and maxCount, 0..1000, required when it is on, min <= max).
	Autoscale          bool
	MinCount, MaxCount int
	// Notes say what was read in place of what the input lacks or writes
	// in an older form (no mode, the colon form of nodeImageVersion);
	// Import warns with them.
	Notes []string
}

var knownModes = []string{"System", "User"}

type wireTop struct {
	Name       json.RawMessage `json:"name"`
	Location   json.RawMessage `json:"location"`
	Properties json.RawMessage `json:"properties"`
}

// wireProps holds the managed-cluster properties, flattened at the top level
// by az and nested under "properties" by ARM. encoding/json matches keys
// case-insensitively, so az's nodeOsUpgradeChannel and osSku fill the fields
// tagged with ARM's nodeOSUpgradeChannel and osSKU.
type wireProps struct {
	KubernetesVersion        json.RawMessage `json:"kubernetesVersion"`
	CurrentKubernetesVersion json.RawMessage `json:"currentKubernetesVersion"`
	AutoUpgradeProfile       json.RawMessage `json:"autoUpgradeProfile"`
	AgentPoolProfiles        json.RawMessage `json:"agentPoolProfiles"`
}

type wireAutoUpgrade struct {
	UpgradeChannel       json.RawMessage `json:"upgradeChannel"`
	NodeOSUpgradeChannel json.RawMessage `json:"nodeOSUpgradeChannel"`
}

type wirePool struct {
	Name                       json.RawMessage `json:"name"`
	Mode                       json.RawMessage `json:"mode"`
	OSType                     json.RawMessage `json:"osType"`
	OSSKU                      json.RawMessage `json:"osSKU"`
	Count                      json.RawMessage `json:"count"`
	OrchestratorVersion        json.RawMessage `json:"orchestratorVersion"`
	CurrentOrchestratorVersion json.RawMessage `json:"currentOrchestratorVersion"`
	NodeImageVersion           json.RawMessage `json:"nodeImageVersion"`
	UpgradeSettings            json.RawMessage `json:"upgradeSettings"`
	EnableAutoScaling          json.RawMessage `json:"enableAutoScaling"`
	MinCount                   json.RawMessage `json:"minCount"`
	MaxCount                   json.RawMessage `json:"maxCount"`
}

type wireUpgrade struct {
	MaxSurge                  json.RawMessage `json:"maxSurge"`
	MaxUnavailable            json.RawMessage `json:"maxUnavailable"`
	MaxBlockedNodes           json.RawMessage `json:"maxBlockedNodes"`
	DrainTimeoutInMinutes     json.RawMessage `json:"drainTimeoutInMinutes"`
	NodeSoakDurationInMinutes json.RawMessage `json:"nodeSoakDurationInMinutes"`
	UndrainableNodeBehavior   json.RawMessage `json:"undrainableNodeBehavior"`
}

// ParseCluster reads a managed cluster as `az aks show -o json` prints it
// (properties flattened, az casing such as nodeOsUpgradeChannel and osSku) or
// as ARM returns it (fields under "properties", ARM casing such as
// nodeOSUpgradeChannel and osSKU). Keys match case-insensitively; unknown
// fields are ignored; null means unset. file names the input in errors and
// may be "". The error is the errors.Join of one *Error per problem.
func ParseCluster(file string, data []byte) (*Cluster, error) {
	d := &decoder{file: file}
	var top wireTop
	if !d.document(data, &top) {
		return nil, errors.Join(d.errs...)
	}
	c := &Cluster{}
	c.Name, _ = d.str("name", "", top.Name)
	c.Location, _ = d.required("location", "", top.Location, "the Azure region")

	var props wireProps
	prefix := ""
	if !isNull(top.Properties) {
		prefix = "properties."
		d.object("properties", "", top.Properties, &props)
	} else {
		_ = json.Unmarshal(data, &props) // data is a JSON object: cannot fail
	}

	var clusterVersion string
	c.KubernetesVersion, _ = d.str(prefix+"kubernetesVersion", "", props.KubernetesVersion)
	c.CurrentKubernetesVersion, _ = d.str(prefix+"currentKubernetesVersion", "", props.CurrentKubernetesVersion)
	for _, f := range []struct{ path, v string }{
		{prefix + "currentKubernetesVersion", c.CurrentKubernetesVersion},
		{prefix + "kubernetesVersion", c.KubernetesVersion},
	} {
		if f.v == "" {
			continue
		}
		if _, _, ok := kubeVersion(f.v); !ok {
			d.fail(f.path, "", json.RawMessage(strconv.Quote(f.v)), `want a Kubernetes version like "1.35" or "1.35.7"`)
		} else if clusterVersion == "" {
			clusterVersion = f.v
		}
	}
	if c.KubernetesVersion == "" && c.CurrentKubernetesVersion == "" {
		d.fail(prefix+"kubernetesVersion", "", props.KubernetesVersion, "required: kubernetesVersion or currentKubernetesVersion")
	}

	var au wireAutoUpgrade
	d.object(prefix+"autoUpgradeProfile", "", props.AutoUpgradeProfile, &au)
	c.UpgradeChannel = c.channel(d, prefix+"autoUpgradeProfile.upgradeChannel", au.UpgradeChannel, channel.ClusterChannelNames(), channel.ClusterNone.String())
	c.NodeOSUpgradeChannel = c.channel(d, prefix+"autoUpgradeProfile.nodeOSUpgradeChannel", au.NodeOSUpgradeChannel, channel.NodeOSChannelNames(), channel.NodeOSNodeImage.String())

	pools := d.array(prefix+"agentPoolProfiles", "", props.AgentPoolProfiles)
	if len(pools) == 0 && !d.failedAt(prefix+"agentPoolProfiles") {
		d.fail(prefix+"agentPoolProfiles", "", props.AgentPoolProfiles, "required: at least one agent pool")
	}
	seen := map[string]int{}
	for i, raw := range pools {
		path := fmt.Sprintf("%sagentPoolProfiles[%d]", prefix, i)
		p, ok := c.pool(d, path, raw, clusterVersion, i == 0)
		if !ok {
			continue
		}
		if j, dup := seen[p.Name]; dup {
			d.fail(path+".name", "", json.RawMessage(strconv.Quote(p.Name)), "duplicate pool name (also agentPoolProfiles[%d])", j)
			continue
		}
		seen[p.Name] = i
		c.Pools = append(c.Pools, p)
	}
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	return c, nil
}

// channel reads an optional channel and records a default.
func (c *Cluster) channel(d *decoder, path string, raw json.RawMessage, allowed []string, def string) string {
	if isNull(raw) {
		c.Defaulted = append(c.Defaulted, path)
		return def
	}
	v, _ := d.enum(path, "", raw, allowed)
	return v
}

// pool reads one agent pool, the first of the cluster when first is set;
// ok is false if it has problems (reported).
func (c *Cluster) pool(d *decoder, path string, raw json.RawMessage, clusterVersion string, first bool) (Pool, bool) {
	before := len(d.errs)
	var w wirePool
	if !d.object(path, "", raw, &w) {
		if isNull(raw) {
			d.fail(path, "", raw, "want an agent pool object")
		}
		return Pool{}, false
	}
	var p Pool
	var ok bool
	if p.Name, ok = d.required(path+".name", "", w.Name, "the pool name"); ok && !poolName(p.Name) {
		d.fail(path+".name", "", w.Name, "want 1-12 lowercase letters and digits, starting with a letter")
	}
	obj := ""
	if p.Name != "" {
		obj = "pool " + strconv.Quote(p.Name)
	}
	switch {
	case isNull(w.Mode):
		// API versions before agent pool modes print none. ASSUMPTION, as
		// AKS creates pools today: a cluster's first pool is System, pools
		// added later User (the default of az aks nodepool add --mode).
		p.Mode = "User"
		if first {
			p.Mode = "System"
		}
		c.Defaulted = append(c.Defaulted, path+".mode")
		p.Notes = append(p.Notes, fmt.Sprintf("no mode (older API versions have none); read as %s, as AKS makes a cluster's first pool System and later pools User", p.Mode))
	default:
		if p.Mode, ok = d.required(path+".mode", obj, w.Mode, "System or User"); ok {
			if m, known := oneOf(p.Mode, knownModes); known {
				p.Mode = m
			}
		}
	}
	if isNull(w.OSType) {
		d.fail(path+".osType", obj, w.OSType, "required: Linux or Windows")
	} else {
		p.OSType, _ = d.enum(path+".osType", obj, w.OSType, channel.OSNames())
	}
	p.OSSKU, _ = d.str(path+".osSKU", obj, w.OSSKU)
	if isNull(w.Count) {
		d.fail(path+".count", obj, w.Count, "required: the number of nodes, 0..%d", fleet.MaxPoolNodes)
	} else {
		p.Count, _ = d.integer(path+".count", obj, w.Count, 0, fleet.MaxPoolNodes)
	}

	version := ""
	for _, f := range []struct {
		path string
		raw  json.RawMessage
		dst  *string
	}{
		{path + ".currentOrchestratorVersion", w.CurrentOrchestratorVersion, &p.CurrentOrchestratorVersion},
		{path + ".orchestratorVersion", w.OrchestratorVersion, &p.OrchestratorVersion},
	} {
		s, _ := d.str(f.path, obj, f.raw)
		if s == "" {
			continue
		}
		if _, _, ok := kubeVersion(s); !ok {
			d.fail(f.path, obj, f.raw, `want a Kubernetes version like "1.35" or "1.35.7"`)
			continue
		}
		*f.dst = s
		if version == "" {
			version = s
		}
	}
	if version == "" {
		version = clusterVersion
	}

	if img, ok := d.required(path+".nodeImageVersion", obj, w.NodeImageVersion, "the node image version"); ok {
		if dashed, colon := colonImageVersion(img); colon {
			if _, msg := parseImageVersion(dashed); msg == "" {
				p.Notes = append(p.Notes, fmt.Sprintf("nodeImageVersion %q is in the colon form of the API's examples; read as %s", img, dashed))
				img = dashed
			}
		}
		v, msg := parseImageVersion(img)
		switch {
		case msg != "":
			d.fail(path+".nodeImageVersion", obj, w.NodeImageVersion, "%s", msg)
		case p.OSType != "" && v.OS != p.OSType:
			d.fail(path+".nodeImageVersion", obj, w.NodeImageVersion, "a %s image in a %s pool", v.OS, p.OSType)
		default:
			p.NodeImageVersion = v
		}
	}
	p.Upgrade = c.upgradeSettings(d, path+".upgradeSettings", obj, w.UpgradeSettings, p, version)
	switch s := strings.TrimSpace(string(w.EnableAutoScaling)); s {
	case "", "null", "false":
	case "true":
		p.Autoscale = true
		var okMin, okMax bool
		if isNull(w.MinCount) {
			d.fail(path+".minCount", obj, w.MinCount, "required with enableAutoScaling: the fewest nodes, 0..%d", fleet.MaxPoolNodes)
		} else {
			p.MinCount, okMin = d.integer(path+".minCount", obj, w.MinCount, 0, fleet.MaxPoolNodes)
		}
		if isNull(w.MaxCount) {
			d.fail(path+".maxCount", obj, w.MaxCount, "required with enableAutoScaling: the most nodes, 1..%d", fleet.MaxPoolNodes)
		} else {
			p.MaxCount, okMax = d.integer(path+".maxCount", obj, w.MaxCount, 1, fleet.MaxPoolNodes)
		}
		if okMin && okMax && p.MaxCount < p.MinCount {
			d.fail(path+".maxCount", obj, w.MaxCount, "below minCount %d", p.MinCount)
		}
	default:
		d.fail(path+".enableAutoScaling", obj, w.EnableAutoScaling, "want true, false or null")
	}
	return p, len(d.errs) == before
}

// colonImageVersion turns the colon form of a node image version that the
// API's examples show ("AKSUbuntu:1604:2020.03.11", gallery, definition and
// version) into the label's dashed form; colon is false for any other
// string.
func colonImageVersion(s string) (dashed string, colon bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 || strings.Contains(s, "-") {
		return s, false
	}
	return strings.Join(parts, "-"), true
}

// upgradeSettings reads a pool's upgradeSettings: the JSON types here, the
// values by plan.UpgradeSettings.Settings, the rules by
// fleet.UpgradeSettings.Check; then the defaults documented on Pool.Upgrade.
func (c *Cluster) upgradeSettings(d *decoder, path, obj string, raw json.RawMessage, p Pool, version string) fleet.UpgradeSettings {
	var w wireUpgrade
	d.object(path, obj, raw, &w)
	rawOf := map[string]json.RawMessage{
		"maxSurge": w.MaxSurge, "maxUnavailable": w.MaxUnavailable, "maxBlockedNodes": w.MaxBlockedNodes,
		"drainTimeoutInMinutes": w.DrainTimeoutInMinutes, "nodeSoakDurationInMinutes": w.NodeSoakDurationInMinutes,
		"undrainableNodeBehavior": w.UndrainableNodeBehavior,
	}
	var problems []*fleet.SettingError
	var ws plan.UpgradeSettings
	text := func(name string, dst *string) {
		if isNull(rawOf[name]) {
			c.Defaulted = append(c.Defaulted, path+"."+name)
		} else if s, ok := d.str(path+"."+name, obj, rawOf[name]); ok {
			*dst = s
		}
	}
	minutes := func(name string, dst *int) bool {
		r := rawOf[name]
		if isNull(r) {
			c.Defaulted = append(c.Defaulted, path+"."+name)
			return false
		}
		n, err := strconv.Atoi(string(bytes.TrimSpace(r)))
		if err != nil {
			d.fail(path+"."+name, obj, r, "want a JSON integer (minutes)")
			return false
		}
		*dst = n
		return true
	}
	text("maxSurge", &ws.MaxSurge)
	text("maxUnavailable", &ws.MaxUnavailable)
	text("maxBlockedNodes", &ws.MaxBlockedNodes)
	if minutes("drainTimeoutInMinutes", &ws.DrainTimeoutInMinutes) && ws.DrainTimeoutInMinutes == 0 {
		// Written 0 is not "unset": AKS rejects it.
		problems = append(problems, &fleet.SettingError{Setting: "drainTimeoutInMinutes", Msg: fleet.CheckDrainTimeout(0)})
	}
	minutes("nodeSoakDurationInMinutes", &ws.NodeSoakDurationInMinutes)
	text("undrainableNodeBehavior", &ws.UndrainableNodeBehavior)
	u, errs := ws.Settings()
	problems = append(problems, errs...)
	if !u.MaxSurge.Set {
		major, minor, _ := kubeVersion(version)
		u.MaxSurge = fleet.DefaultMaxSurge(major, minor)
	}
	problems = append(problems, u.Check(p.Count, strings.EqualFold(p.Mode, "System"))...)
	// One problem per setting (the first), in the order AKS lists them.
	for _, name := range []string{"maxSurge", "maxUnavailable", "maxBlockedNodes", "drainTimeoutInMinutes", "nodeSoakDurationInMinutes", "undrainableNodeBehavior"} {
		for _, e := range problems {
			if e.Setting == name && !d.failedAt(path+"."+name) {
				d.fail(path+"."+name, obj, rawOf[name], "%s", e.Msg)
			}
		}
	}
	return u.WithDefaults()
}

// kubeVersion parses "MAJOR.MINOR" or "MAJOR.MINOR.PATCH".
func kubeVersion(s string) (major, minor int, ok bool) {
	f := strings.Split(s, ".")
	if len(f) < 2 || len(f) > 3 {
		return 0, 0, false
	}
	for _, x := range f {
		if !digits(x, 1, 4) {
			return 0, 0, false
		}
	}
	return atoi(f[0]), atoi(f[1]), true
}

// poolName reports whether s matches ^[a-z][a-z0-9]{0,11}$.
func poolName(s string) bool {
	if len(s) == 0 || len(s) > 12 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !('a' <= s[i] && s[i] <= 'z' || '0' <= s[i] && s[i] <= '9') {
			return false
		}
	}
	return true
}

// document checks that data is one JSON object and decodes its top level
// into dst.
func (d *decoder) document(data []byte, dst any) bool {
	if !json.Valid(data) {
		d.errs = append(d.errs, &Error{File: d.file, Msg: notJSON(data)})
		return false
	}
	t := bytes.TrimSpace(data)
	if t[0] != '{' {
		d.errs = append(d.errs, &Error{File: d.file, Msg: "want a JSON object at the top level"})
		return false
	}
	_ = json.Unmarshal(t, dst)
	return true
}

// failedAt reports whether a problem was already recorded at path.
func (d *decoder) failedAt(path string) bool {
	for _, err := range d.errs {
		var e *Error
		if errors.As(err, &e) && e.Path == path {
			return true
		}
	}
	return false
}
