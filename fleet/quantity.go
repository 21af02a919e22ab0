package fleet

import (
	"fmt"
	"strconv"
	"strings"
)

// Quantity is a node count given as an absolute number ("3") or as a
// percentage of a pool's size ("33%"), as AKS upgradeSettings write maxSurge,
// maxUnavailable and maxBlockedNodes (reference aks.md section 4.1). The zero
// value is zero nodes.
type Quantity struct {
	Value   int  // nodes, or percent when Percent is set; never negative
	Percent bool // Value is a percentage of the pool size
}

// Nodes returns an absolute Quantity of n nodes.
func Nodes(n int) Quantity { return Quantity{Value: n} }

// Percent returns a Quantity of p percent of the pool size.
func Percent(p int) Quantity { return Quantity{Value: p, Percent: true} }

// ParseQuantity parses "N" or "N%". It returns an error naming the value
// and the accepted forms for anything else, including negative numbers.
func ParseQuantity(s string) (Quantity, error) {
	t := strings.TrimSpace(s)
	num, pct := strings.CutSuffix(t, "%")
	v, err := strconv.Atoi(num)
	if err != nil || v < 0 || num != strings.TrimSpace(num) {
		return Quantity{}, fmt.Errorf("%q is not a node count or percentage (want e.g. \"1\" or \"33%%\")", s)
	}
	return Quantity{Value: v, Percent: pct}, nil
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

// String formats the quantity as ParseQuantity reads it.
func (q Quantity) String() string {
	if q.Percent {
		return strconv.Itoa(q.Value) + "%"
	}
	return strconv.Itoa(q.Value)
}

// MarshalText implements encoding.TextMarshaler.
func (q Quantity) MarshalText() ([]byte, error) { return []byte(q.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (q *Quantity) UnmarshalText(b []byte) error {
	v, err := ParseQuantity(string(b))
	if err != nil {
		return err
	}
	*q = v
	return nil
}
