package fleet

import (
	"fmt"
	"strconv"
	"strings"
)

// Quantity is a node count given as an absolute number ("3") or as a
// percentage of a pool's size ("33%"), as AKS upgradeSettings write maxSurge,
// maxUnavailable and maxBlockedNodes (reference aks.md section 4.1). The zero
// value is unset: the setting takes its default, and resolves to zero nodes.
type Quantity struct {
	Value   int  // nodes, or percent when Percent is set; never negative
	Percent bool // Value is a percentage of the pool size
	Set     bool // given; Nodes, Percent and ParseQuantity set it
}

// Nodes returns an absolute Quantity of n nodes.
func Nodes(n int) Quantity { return Quantity{Value: n, Set: true} }

// Percent returns a Quantity of p percent of the pool size.
func Percent(p int) Quantity { return Quantity{Value: p, Percent: true, Set: true} }

// ParseQuantity parses "N" or "N%" as AKS writes them: decimal digits
// (leading zeros accepted, "05" is 5) and an optional "%". Signs, spaces
// and fractions are errors naming the value and the accepted forms. Ranges
// (at most 100%, at most MaxPoolNodes nodes) are [UpgradeSettings.Check]'s.
func ParseQuantity(s string) (Quantity, error) {
	num, pct := strings.CutSuffix(s, "%")
	v, err := strconv.Atoi(num)
	if err != nil || num == "" || strings.TrimLeft(num, "0123456789") != "" {
		return Quantity{}, fmt.Errorf("%q is not a node count or percentage (want e.g. \"1\" or \"33%%\")", s)
	}
	return Quantity{Value: v, Percent: pct, Set: true}, nil
}

// Resolve returns the number of nodes the quantity stands for in a pool of
// size nodes: percentages round up, as AKS documents ("fractional nodes are
// rounded up", aks.md section 4.1).
func (q Quantity) Resolve(size int) int {
	if !q.Percent {
		return q.Value
	}
	return (q.Value*size + 99) / 100
}

// String formats the quantity as ParseQuantity reads it; "" when unset.
func (q Quantity) String() string {
	if !q.Set {
		return ""
	}
	if q.Percent {
		return strconv.Itoa(q.Value) + "%"
	}
	return strconv.Itoa(q.Value)
}

// MarshalText implements encoding.TextMarshaler.
func (q Quantity) MarshalText() ([]byte, error) { return []byte(q.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; "" is unset.
func (q *Quantity) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*q = Quantity{}
		return nil
	}
	v, err := ParseQuantity(string(b))
	if err != nil {
		return err
	}
	*q = v
	return nil
}
