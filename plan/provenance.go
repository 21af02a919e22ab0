package plan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"runtime/debug"
	"sync"
	"time"
)

// develVersion is the version of a build that carries no module version,
// such as a test binary.
const develVersion = "(devel)"

// buildVersion returns the module version of this build as the Go
// toolchain records it (a release tag, or a pseudo-version from the
// repository's commit with "+dirty" for uncommitted changes); a build that
// records none (a test binary) is "(devel)", with the commit when known.
var buildVersion = sync.OnceValue(func() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return develVersion
	}
	v := info.Main.Version
	if v == "" {
		v = develVersion
	}
	if v == develVersion {
		var rev, dirty string
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision":
				rev = s.Value
			case s.Key == "vcs.modified" && s.Value == "true":
				dirty = "+dirty"
			}
		}
		if rev != "" {
			v += " " + rev + dirty
		}
	}
	return v
})

// Version returns the module version of this build as the Go toolchain
// records it (a release tag, or a pseudo-version from the repository's
// commit with "+dirty" for uncommitted changes), or "(devel)" with the
// commit when known for a build that records none, such as a test binary.
func Version() string { return buildVersion() }

// modelFingerprint returns a fingerprint of the model this build runs: the
// SHA-256 of the metrics and of every pair of a fixed reference run (the
// default scenario, one replication over 90 days, with distributions and
// the rollout trace). Builds whose model gives different numbers on it have
// different fingerprints; a change the reference run does not exercise goes
// unseen, which is why parts also carry the build's version.
var modelFingerprint = sync.OnceValues(func() (string, error) {
	s := Default()
	s.Replications = 1
	s.Horizon = Duration(90 * 24 * time.Hour)
	p, err := New(s)
	if err != nil {
		return "", err
	}
	pairs, err := p.Run(context.Background(), p.All(), Options{Workers: 1, Distributions: true, Trace: true})
	if err != nil {
		return "", err
	}
	h := sha256.New()
	enc := json.NewEncoder(h)
	if err := enc.Encode(Metrics); err != nil {
		return "", err
	}
	if err := enc.Encode(pairs); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
})
