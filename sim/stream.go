package sim

import "math/rand/v2"

// Stream returns a random number generator for the named stream of seed.
//
// The generator is a PCG whose two state words are derived from seed and
// from an FNV-1a hash of name, mixed through SplitMix64. The same (seed,
// name) always yields the same sequence, whatever other streams exist or the
// order in which they are created; different names yield statistically
// independent sequences. Give every model component its own name, so that an
// extra draw in one component never shifts the numbers of another, and so
// that variants of a scenario share upstream randomness (common random
// numbers).
//
// The returned generator is not safe for concurrent use.
func Stream(seed uint64, name string) *rand.Rand {
	return rand.New(NewSource(seed, name))
}

// NewSource returns the PCG source behind [Stream], for callers (such as
// gonum distributions) that take a [rand.Source].
func NewSource(seed uint64, name string) *rand.PCG {
	k := Hash(name)
	s1 := splitmix64(seed ^ splitmix64(k))
	s2 := splitmix64(s1 ^ k ^ 0x9e3779b97f4a7c15)
	return rand.NewPCG(s1, s2)
}

// Hash returns the 64-bit FNV-1a hash of s (the same as hash/fnv's New64a),
// computed without allocating: a stable key for a name.
func Hash(s string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= prime
	}
	return h
}

// Mix hashes three words into one through SplitMix64 rounds. It keys
// draws that need no generator, such as one uniform delay per (seed, name,
// instant): the result is deterministic and its bits are well mixed, and
// it does not allocate.
func Mix(a, b, c uint64) uint64 { return NewMixer(a, b).Mix(c) }

// Mixer is [Mix] with its first two words fixed, for a key that hashes
// many third words (one node's delays, night after night): the fixed part
// is mixed once.
type Mixer uint64

// NewMixer returns the Mixer of a and b: NewMixer(a, b).Mix(c) is Mix(a, b, c).
func NewMixer(a, b uint64) Mixer { return Mixer(splitmix64(splitmix64(a) ^ b)) }

// Mix returns Mix(a, b, c) for the Mixer of a and b.
func (m Mixer) Mix(c uint64) uint64 { return splitmix64(uint64(m) ^ c) }

// splitmix64 is the finaliser of SplitMix64 (Steele, Lea and Flood, 2014),
// a bijective mixer of 64-bit words.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
