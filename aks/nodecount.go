package aks

import (
	"fmt"
	"strings"

	"github.com/patchsim/patchsim/fleet"
)

// maxNodeCount bounds a count: a VMSS holds at most 1,000 instances and AKS
// rejects an upgrade whose pool size plus surge exceeds it (aks.md 4.1), so a
// larger count can never take effect.
const maxNodeCount = 1000

// parseNodeCount reads maxSurge, maxUnavailable or maxBlockedNodes as AKS
// prints them: a count "0".."1000" or a percentage "0%".."100%" of the pool
// (aks.md 4.1); leading zeros are accepted ("05" is 5). Signs, spaces,
// fractions and percentages above 100 are rejected (a share above 100% is an
// assumption we reject; AKS documents no upper bound). It is stricter than
// fleet.ParseQuantity, which reads scenario files, and returns the problem
// as a message for the caller's *Error, or "".
func parseNodeCount(s string) (fleet.Quantity, string) {
	num, percent := strings.CutSuffix(s, "%")
	if !digits(num, 1, 4) {
		return fleet.Quantity{}, `want a node count like "5" or a percentage of the pool like "33%"`
	}
	n := atoi(num)
	switch {
	case percent && n > 100:
		return fleet.Quantity{}, "percentage out of range: want 0%..100%"
	case !percent && n > maxNodeCount:
		return fleet.Quantity{}, fmt.Sprintf("count out of range: want 0..%d", maxNodeCount)
	}
	return fleet.Quantity{Value: n, Percent: percent}, ""
}
