package aks

import (
	"fmt"
	"strconv"
	"strings"
)

// NodeCount is a number of nodes given either as a count ("5") or as a
// percentage of the pool size ("33%"), the form AKS uses for maxSurge,
// maxUnavailable and maxBlockedNodes (reference/aks.md section 4.1). The zero
// value is the count 0.
type NodeCount struct {
	N       int  // the count, or the percentage when Percent is set
	Percent bool // N is a percentage of the pool size
}

// maxNodeCount bounds a count: a VMSS holds at most 1,000 instances and AKS
// rejects an upgrade whose pool size plus surge exceeds it (aks.md 4.1), so a
// larger count can never take effect.
const maxNodeCount = 1000

// ParseNodeCount parses a count ("0".."1000") or a percentage ("0%".."100%")
// as AKS prints them; leading zeros are accepted ("05" is 5). Signs, spaces, fractions and percentages above 100 are
// errors (a share of the pool above 100% is an assumption we reject; AKS
// documents no upper bound).
func ParseNodeCount(s string) (NodeCount, error) {
	c, msg := parseNodeCount(s)
	if msg != "" {
		return NodeCount{}, &Error{Value: strconv.Quote(s), Msg: msg}
	}
	return c, nil
}

func parseNodeCount(s string) (NodeCount, string) {
	num, percent := strings.CutSuffix(s, "%")
	n := 0
	if digits(num, 1, 4) {
		n = atoi(num)
	}
	switch {
	case !digits(num, 1, 4):
		return NodeCount{}, `want a node count like "5" or a percentage of the pool like "33%"`
	case percent && n > 100:
		return NodeCount{}, "percentage out of range: want 0%..100%"
	case !percent && n > maxNodeCount:
		return NodeCount{}, fmt.Sprintf("count out of range: want 0..%d", maxNodeCount)
	}
	return NodeCount{N: n, Percent: percent}, ""
}

// Resolve returns the number of nodes c stands for in a pool of poolSize
// nodes: the count itself, or the percentage of poolSize rounded up, as AKS
// resolves it ("fractional nodes are rounded up", aks.md 4.1). It does not cap
// the result at poolSize; the rollout does that. Resolve panics if
// poolSize < 0.
func (c NodeCount) Resolve(poolSize int) int {
	if poolSize < 0 {
		panic("aks: NodeCount.Resolve: negative pool size")
	}
	if !c.Percent {
		return c.N
	}
	// Split poolSize so that poolSize*N cannot overflow.
	q, r := poolSize/100, poolSize%100
	return q*c.N + (r*c.N+99)/100
}

// IsZero reports whether c is 0 or 0%, which resolves to no node for any pool.
func (c NodeCount) IsZero() bool { return c.N == 0 }

// String returns c as AKS prints it: "5" or "33%".
func (c NodeCount) String() string {
	if c.Percent {
		return strconv.Itoa(c.N) + "%"
	}
	return strconv.Itoa(c.N)
}
