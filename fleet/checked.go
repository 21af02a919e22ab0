package fleet

import (
	"errors"

	"github.com/patchsim/patchsim/channel"
)

// Checked is a [Config] that passed [Config.Validate], to run many times on
// different upstream content, seeds and trace settings without validating
// it again: a what-if validates each variant once, not once per
// replication. Make one with [Check]; the zero value is not usable. A
// Checked is only read, so several goroutines may run it at once.
type Checked struct{ cfg Config }

// Check validates cfg, apart from its Upstream, Seed and Trace (which each
// [Checked.Run] supplies), and returns it ready to run. It keeps cfg's
// slices rather than copying them: do not change them afterwards.
func Check(cfg Config) (*Checked, error) {
	if cfg.Upstream == nil {
		// Supplied by each Run; only its presence is validated.
		cfg.Upstream = &channel.Upstream{}
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Checked{cfg: cfg}, nil
}

// Run simulates the checked configuration on the content up with seed and
// trace, as [Run] does for the Config with those fields set. up is
// required.
func (c *Checked) Run(up *channel.Upstream, seed uint64, trace bool) (*Result, error) {
	if c == nil {
		return nil, errors.New("fleet: Run on a nil Checked; make one with Check")
	}
	if up == nil {
		return nil, errors.New("fleet: upstream: is required")
	}
	cfg := c.cfg
	cfg.Upstream, cfg.Seed, cfg.Trace = up, seed, trace
	return run(cfg)
}
