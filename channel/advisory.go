package channel

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Severity is an advisory's severity. The zero value is Critical; smaller is
// more severe.
type Severity uint8

// Severities, most severe first.
const (
	Critical Severity = iota
	High
	Medium
	Low
)

// NumSeverities is the number of severities; arrays indexed by [Severity]
// have this length.
const NumSeverities = 4

var severityNames = [NumSeverities]string{"critical", "high", "medium", "low"}

// String returns the lower-case name ("critical", "high", "medium", "low").
func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("Severity(%d)", s)
}

// ParseSeverity parses a severity name, ignoring case. The error lists the
// valid values.
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(s, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("channel: severity %q: want one of %s", s, strings.Join(severityNames[:], ", "))
}

// SeverityNames returns the severities' names, most severe first (the
// order of their values).
func SeverityNames() []string { return slices.Clone(severityNames[:]) }

// Class says when a fix takes effect on a node. The zero value is Userspace.
type Class uint8

const (
	// Userspace fixes are effective once the package is installed.
	Userspace Class = iota
	// Kernel fixes are effective only once the node boots a kernel (or, on
	// Windows, an OS build) that has them: after a reboot or a reimage.
	Kernel
)

var classNames = [...]string{"userspace", "kernel"}

// String returns "userspace" or "kernel".
func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return fmt.Sprintf("Class(%d)", c)
}

// ParseClass parses "userspace" or "kernel", ignoring case. The error lists
// the valid values.
func ParseClass(s string) (Class, error) {
	for i, n := range classNames {
		if strings.EqualFold(s, n) {
			return Class(i), nil
		}
	}
	return 0, fmt.Errorf("channel: class %q: want one of %s", s, strings.Join(classNames[:], ", "))
}

// OS is the operating system of a node pool, an advisory or a release. The
// zero value is Linux.
type OS uint8

const (
	OSLinux OS = iota
	OSWindows
)

var osNames = [...]string{"Linux", "Windows"}

// String returns "Linux" or "Windows" (the AKS osType spelling).
func (o OS) String() string {
	if int(o) < len(osNames) {
		return osNames[o]
	}
	return fmt.Sprintf("OS(%d)", o)
}

// ParseOS parses "Linux" or "Windows", ignoring case. The error lists the
// valid values.
func ParseOS(s string) (OS, error) {
	for i, n := range osNames {
		if strings.EqualFold(s, n) {
			return OS(i), nil
		}
	}
	return 0, fmt.Errorf("channel: OS %q: want one of %s", s, strings.Join(osNames[:], ", "))
}

// OSNames returns the AKS osType spellings, in the order of the values.
func OSNames() []string { return slices.Clone(osNames[:]) }

// Advisory is one security fix published upstream (an Ubuntu security
// notice, a Windows monthly update item).
type Advisory struct {
	ID        string
	Published time.Time // upstream publication instant P
	Severity  Severity
	Class     Class
	OS        OS // the OS the advisory applies to
}
