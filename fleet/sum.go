package fleet

import "math/bits"

// exact is an exact signed sum of int64 values in 128-bit two's
// complement. The order of additions never changes it, so a run that
// visits nodes in another order (the per-node nightly pass) gives the
// same bytes as the event run. The zero value is 0.
type exact struct{ hi, lo uint64 }

// add adds v.
func (s *exact) add(v int64) {
	var c uint64
	s.lo, c = bits.Add64(s.lo, uint64(v), 0)
	s.hi += c + uint64(v>>63) // v>>63 is 0 or -1: the sign extension
}

// addN adds v n times.
func (s *exact) addN(v int64, n uint64) {
	hi, lo := bits.Mul64(uint64(v), n)
	if v < 0 {
		hi -= n // uint64(v) is v + 2^64
	}
	var c uint64
	s.lo, c = bits.Add64(s.lo, lo, 0)
	s.hi += hi + c
}

// float returns the sum rounded to a float64.
func (s exact) float() float64 {
	if int64(s.hi) < 0 {
		n := exact{hi: ^s.hi, lo: ^s.lo}
		n.add(1)
		return -n.float()
	}
	return float64(s.hi)*0x1p64 + float64(s.lo)
}
