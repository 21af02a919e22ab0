package channel

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// The severity scale of Linux advisories is Ubuntu's priority
// (ubuntu.com/security/cves: negligible, low, medium, high, critical), with
// negligible counted as low; an advisory's severity is the highest priority
// among the CVEs its notice fixes for Ubuntu 22.04. Windows advisories use
// Microsoft's severity (Critical, Important as high, Moderate as medium,
// Low).

// USNCoverage is the share of 2024's Ubuntu security notices that the
// shipped sample (data/ubuntu-usn-jammy-2024-podcast.csv) lists: 279 of
// about 601 USN base numbers (data/README.md). ASSUMPTION: the notices it
// misses (other weeks, December) are like those it lists, so a rate is the
// sample's count divided by USNCoverage.
const USNCoverage = 279.0 / 601

// NodePackages are the Ubuntu 22.04 packages, as the notices' titles name
// them, that an AKS Ubuntu node carries: the server base, the Python
// modules cloud-init uses, and the tools of the image. ASSUMPTION: the data
// does not say which packages an AKS node has; this list leaves out
// desktop, mail, browser, database, language-runtime and web packages, and
// runC and containerd, which AKS installs from its own repository. Kernel
// notices are kept when their flavour is Azure or generic (a generic notice
// may include linux-azure, also an ASSUMPTION).
var NodePackages = []string{
	"Bash", "Bind", "BusyBox", "curl", "Expat", "Git", "GNU cpio", "GnuTLS", "idna",
	"Intel Microcode", "Jinja2", "klibc", "less", "libxml2", "needrestart", "Netplan",
	"nghttp2", "NSS", "OpenLDAP", "OpenSSH", "OpenSSL", "Python", "python-cryptography",
	"Setuptools", "snapd", "util-linux", "Vim", "Wget",
}

// SampleRates are advisory rates counted in the 2024 notice sample.
type SampleRates struct {
	// Userspace and Kernel are notices per year of 365 days, per severity.
	Userspace, Kernel [NumSeverities]Rate
	// Notices is how many notices of the sample were counted.
	Notices int
}

// USNRates counts the notices of the shipped 2024 sample
// (data/ubuntu-usn-jammy-2024-podcast.csv) by class and severity and
// scales them to a year by coverage (a share in (0, 1]): only those of
// NodePackages (and Azure or generic kernels) when node is set, every Jammy
// notice otherwise. Notices whose CVEs have no priority are not counted.
// It returns an error for a coverage outside (0, 1].
func USNRates(coverage float64, node bool) (SampleRates, error) {
	if !(coverage > 0 && coverage <= 1) {
		return SampleRates{}, fmt.Errorf("channel: USN coverage %v: want a share in (0, 1]", coverage)
	}
	rows, err := usnSample()
	if err != nil {
		return SampleRates{}, err
	}
	var out SampleRates
	for _, a := range rows {
		if node && !a.onNode {
			continue
		}
		out.Notices++
		if a.Class == Kernel {
			out.Kernel[a.Severity] += Rate(1 / coverage)
		} else {
			out.Userspace[a.Severity] += Rate(1 / coverage)
		}
	}
	return out, nil
}

type usnNotice struct {
	Advisory
	onNode bool
}

var usnOnce = sync.OnceValues(readUSNSample)

func usnSample() ([]usnNotice, error) { return usnOnce() }

// packageOf is the package a notice title names: the title without its
// "vulnerability", "regression" or "update" tail.
var packageOf = regexp.MustCompile(`\s+(vulnerabilit\w*|regression|update|and )`)

func readUSNSample() ([]usnNotice, error) {
	data, err := historyFiles.ReadFile("history/ubuntu-usn-jammy-2024-podcast.csv")
	if err != nil {
		return nil, fmt.Errorf("channel: USN sample: %w", err)
	}
	advs, err := ReadAdvisories(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("channel: USN sample: %w", err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("channel: USN sample: %w", err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	onNode := map[string]bool{}
	for _, r := range recs[1:] {
		title := r[col["title"]]
		pkg := title
		if loc := packageOf.FindStringIndex(title); loc != nil {
			pkg = title[:loc[0]]
		}
		fl := r[col["kernel_flavour"]]
		onNode[r[col["usn_ids"]]] = r[col["klass"]] == "kernel" && (fl == "Azure" || fl == "generic") ||
			r[col["klass"]] == "userspace" && slices.Contains(NodePackages, strings.TrimSpace(pkg))
	}
	out := make([]usnNotice, len(advs))
	for i, a := range advs {
		out[i] = usnNotice{a, onNode[a.ID]}
	}
	return out, nil
}
