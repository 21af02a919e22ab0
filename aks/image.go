package aks

import (
	"strconv"
	"strings"
	"time"
)

// ImageVersion is a parsed AKS node image version, the value of the node
// label kubernetes.azure.com/node-image-version and of a pool's
// nodeImageVersion (reference/aks.md section 5):
//
//	<gallery>-<definition>-<version>[-<security patch date YYYY.MM.DD>]
//
// For example AKSUbuntu-2204gen2containerd-202410.27.0-2024.12.01 or
// AKSWindows-2022-containerd-20348.3207.250214.
type ImageVersion struct {
	Gallery    string // Azure Compute Gallery, e.g. "AKSUbuntu", "AKSWindows"
	Definition string // image definition, e.g. "2204gen2containerd", "23H2-gen2"; "" when the label has none (AKSAzureContainerLinux-202606.01.0)
	Version    string // gallery image version as written, e.g. "202410.27.0", "2022.04.19", "20348.3207.250214"
	OS         string // "Linux" or "Windows" (the agent pool osType spelling); Windows iff the gallery is AKSWindows
	// Built is the image build date, UTC midnight: YYYYMM.DD from a Linux
	// version, YYYY.MM.DD from an older Linux version, 20YY-MM-DD from the
	// YYMMDD of a Windows version.
	Built time.Time
	// Rebuild is the N of a Linux YYYYMM.DD.N version, which counts rebuilds
	// on the same date; 0 for older Linux and for Windows versions, which
	// have none.
	Rebuild int
	// SecurityPatch is the date of the SecurityPatch snapshot the node was
	// patched to (the optional suffix), UTC midnight; zero when absent.
	SecurityPatch time.Time
}

// ParseImageVersion parses a node image version. Linux versions are
// YYYYMM.DD.N (since 2023-03) or YYYY.MM.DD (older); Windows versions, in the
// AKSWindows gallery, are <OS build>.<UBR>.<YYMMDD> (aks.md section 5). The
// definition may contain hyphens ("2022-containerd", "23H2-gen2") or be
// missing. Anything else is an error that quotes s: there is no fallback.
// A security-patch suffix on a Windows image is an error, since SecurityPatch
// isn't supported on Windows (aks.md 1.5). Dates before 2000 are rejected as
// malformed (an assumption: AKS node images date from 2018 on).
func ParseImageVersion(s string) (ImageVersion, error) {
	v, msg := parseImageVersion(s)
	if msg != "" {
		return ImageVersion{}, &Error{Value: strconv.Quote(s), Msg: msg}
	}
	return v, nil
}

const imageFormat = "want <gallery>-<definition>-<version>[-<YYYY.MM.DD>] with a Linux version YYYYMM.DD.N or YYYY.MM.DD, or a Windows version <build>.<UBR>.<YYMMDD>"

func parseImageVersion(s string) (ImageVersion, string) {
	parts := strings.Split(s, "-")
	for _, p := range parts {
		if p == "" {
			return ImageVersion{}, "node image version: empty part; " + imageFormat
		}
	}
	v := ImageVersion{Gallery: parts[0], OS: "Linux"}
	if len(v.Gallery) <= 3 || !strings.HasPrefix(v.Gallery, "AKS") || !alnum(v.Gallery) {
		return ImageVersion{}, `node image version: gallery must start with "AKS"; ` + imageFormat
	}
	if v.Gallery == "AKSWindows" {
		v.OS = "Windows"
	}
	rest := parts[1:]
	if len(rest) == 0 {
		return ImageVersion{}, "node image version: no version; " + imageFormat
	}
	// A part after a version is the security-patch suffix; a trailing date
	// after a non-version is an older Linux version (YYYY.MM.DD).
	if n := len(rest); n >= 2 {
		if _, ok := parseVersion(v.OS, rest[n-2]); ok {
			patch, ok := dotDate(rest[n-1])
			switch {
			case !ok:
				return ImageVersion{}, "node image version: bad security-patch date " + strconv.Quote(rest[n-1]) + "; want YYYY.MM.DD after the version"
			case v.OS == "Windows":
				return ImageVersion{}, "node image version: security-patch suffix on a Windows image; SecurityPatch isn't supported on Windows"
			}
			v.SecurityPatch = patch
			rest = rest[:n-1]
		}
	}
	v.Version = rest[len(rest)-1]
	for _, p := range rest[:len(rest)-1] {
		if !alnum(p) {
			return ImageVersion{}, "node image version: bad definition part " + strconv.Quote(p) + "; " + imageFormat
		}
	}
	v.Definition = strings.Join(rest[:len(rest)-1], "-")
	parsed, ok := parseVersion(v.OS, v.Version)
	if !ok {
		return ImageVersion{}, "node image version: bad " + v.OS + " version " + strconv.Quote(v.Version) + "; " + imageFormat
	}
	v.Built, v.Rebuild = parsed.built, parsed.rebuild
	return v, ""
}

// String returns the version as AKS writes it; it is the inverse of
// ParseImageVersion.
func (v ImageVersion) String() string {
	var b strings.Builder
	b.WriteString(v.Gallery)
	if v.Definition != "" {
		b.WriteByte('-')
		b.WriteString(v.Definition)
	}
	b.WriteByte('-')
	b.WriteString(v.Version)
	if !v.SecurityPatch.IsZero() {
		b.WriteByte('-')
		b.WriteString(v.SecurityPatch.Format("2006.01.02"))
	}
	return b.String()
}

type version struct {
	built   time.Time
	rebuild int
}

// parseVersion parses a gallery image version of the given OS.
func parseVersion(os, s string) (version, bool) {
	f := strings.Split(s, ".")
	if len(f) != 3 {
		return version{}, false
	}
	if os == "Windows" {
		// <OS build>.<UBR>.<YYMMDD>, e.g. 20348.3207.250214.
		if !digits(f[0], 4, 5) || !digits(f[1], 1, 5) || !digits(f[2], 6, 6) {
			return version{}, false
		}
		t, ok := date(2000+atoi(f[2][:2]), atoi(f[2][2:4]), atoi(f[2][4:]))
		return version{built: t}, ok
	}
	switch {
	case digits(f[0], 6, 6) && digits(f[1], 2, 2) && digits(f[2], 1, 4):
		// YYYYMM.DD.N, e.g. 202410.27.0.
		t, ok := date(atoi(f[0][:4]), atoi(f[0][4:]), atoi(f[1]))
		return version{built: t, rebuild: atoi(f[2])}, ok
	case digits(f[0], 4, 4) && digits(f[1], 2, 2) && digits(f[2], 2, 2):
		// YYYY.MM.DD, e.g. 2022.04.19.
		t, ok := date(atoi(f[0]), atoi(f[1]), atoi(f[2]))
		return version{built: t}, ok
	}
	return version{}, false
}

// dotDate parses YYYY.MM.DD.
func dotDate(s string) (time.Time, bool) {
	f := strings.Split(s, ".")
	if len(f) != 3 || !digits(f[0], 4, 4) || !digits(f[1], 2, 2) || !digits(f[2], 2, 2) {
		return time.Time{}, false
	}
	return date(atoi(f[0]), atoi(f[1]), atoi(f[2]))
}

// date returns UTC midnight of a real calendar date in 2000 or later.
func date(y, m, d int) (time.Time, bool) {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if y < 2000 || t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// digits reports whether s is between lo and hi ASCII digits long.
func digits(s string, lo, hi int) bool {
	if len(s) < lo || len(s) > hi {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi converts a string that digits accepted.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// alnum reports whether s is a non-empty run of ASCII letters and digits.
func alnum(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}
