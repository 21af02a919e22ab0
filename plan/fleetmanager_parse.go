package plan

import (
	"errors"
	"strings"
)

// ParseFleetMember reads one Fleet Manager member, as az fleet member show
// prints it or as ARM GET returns it, in JSON or YAML, as a scenario's
// fleetManager.members reads it, and checks it alone: its cluster and group
// are the scenario's to check. Every problem is a [*FieldError] with the
// object's own path ("properties.group").
func ParseFleetMember(data []byte) (FleetMember, error) {
	var m FleetMember
	if err := decode(data, &m); err != nil {
		return m, err
	}
	return m, objectErrors(m.check(""))
}

// ParseUpdateStrategy reads one update strategy, as az fleet
// updatestrategy show prints it, as ARM GET returns it or as the stages
// file writes it, as a scenario's fleetManager.updateStrategy reads it,
// and checks it alone (see [ParseFleetMember]). What the model does not run
// (ScheduledStart gates, maxAllowedFailures above 0) is read without a
// problem here; a scenario refuses it.
func ParseUpdateStrategy(data []byte) (*UpdateStrategy, error) {
	var u UpdateStrategy
	if err := decode(data, &u); err != nil {
		return nil, err
	}
	if err := objectErrors(u.check("", false)); err != nil {
		return nil, err
	}
	return &u, nil
}

// ParseAutoUpgradeProfile reads one auto-upgrade profile, as az fleet
// autoupgradeprofile show prints it or as ARM GET returns it, as a
// scenario's fleetManager.autoUpgradeProfiles reads it, and checks it
// alone (see [ParseFleetMember]).
func ParseAutoUpgradeProfile(data []byte) (AutoUpgradeProfile, error) {
	var p AutoUpgradeProfile
	if err := decode(data, &p); err != nil {
		return p, err
	}
	return p, objectErrors(p.check(""))
}

// Flat returns the member with its ARM properties at the top level, as
// az prints it.
func (m FleetMember) Flat() FleetMember { return m.flat() }

// Flat returns the profile with its ARM properties at the top level, as
// az prints it.
func (p AutoUpgradeProfile) Flat() AutoUpgradeProfile { return p.flat() }

// ClusterName returns the name of the cluster the member stands for: the
// name after /managedClusters/ in its clusterResourceId, else its name.
func (m FleetMember) ClusterName() (string, error) {
	c, _, err := m.flat().cluster()
	return c, err
}

// StrategyName returns the name of the update strategy an
// updateStrategyId names: the segment after /updateStrategies/, or the
// whole value.
func StrategyName(id string) string { return strategyName(id) }

// StagesOf returns the strategy's stages, wherever its file put them.
func (u *UpdateStrategy) StagesOf() []UpdateStage { return u.stages() }

// WithStages returns a copy of u holding stages, in the stages file's
// place (strategy and properties cleared).
func (u UpdateStrategy) WithStages(stages []UpdateStage) *UpdateStrategy { return u.setStages(stages) }

// objectErrors joins errs, their paths made the object's own (a check run
// at the top level writes ".name").
func objectErrors(errs []error) error {
	for _, e := range errs {
		if fe, ok := e.(*FieldError); ok {
			fe.Path = strings.TrimPrefix(fe.Path, ".")
		}
	}
	return errors.Join(errs...)
}
