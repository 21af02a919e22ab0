package window

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// ParseConfigurations decodes AKS maintenance configurations from any of
// these JSON shapes:
//   - what `az aks maintenanceconfiguration show -o json` prints: the
//     flattened object with name, maintenanceWindow, timeInWeek and
//     notAllowedTime at the top level (unset fields and unused schedule
//     kinds as null);
//   - what `az aks maintenanceconfiguration list` prints: an array of those;
//   - an ARM GET response {"name", "properties": {...}} and an ARM list
//     {"value": [...]} of them;
//   - a PUT body {"properties": {...}} (no name);
//   - a bare maintenanceWindow object {"schedule", "durationHours", ...}
//     (no name).
//
// Unknown fields are ignored in the az and ARM shapes and rejected in a bare
// maintenanceWindow, where they are likely typos. Errors name the JSON path.
// The configurations are returned in file order and not validated: call
// [MaintenanceConfiguration.Validate] on the ones used.
func ParseConfigurations(data []byte) ([]MaintenanceConfiguration, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, errors.New("window: empty input: want a maintenance configuration in JSON")
	}
	if data[0] == '[' {
		return parseList(data, "")
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, jsonError("", err)
	}
	if v, ok := top["value"]; ok && !isNull(v) {
		return parseList(v, "value")
	}
	c, err := parseObject(data, top, "")
	if err != nil {
		return nil, err
	}
	return []MaintenanceConfiguration{c}, nil
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

func parseList(data []byte, path string) ([]MaintenanceConfiguration, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		return nil, jsonError(path, err)
	}
	var out []MaintenanceConfiguration
	var errs []error
	for i, raw := range items {
		p := fmt.Sprintf("%s[%d]", path, i)
		var top map[string]json.RawMessage
		if err := json.Unmarshal(raw, &top); err != nil {
			errs = append(errs, jsonError(p, err))
			continue
		}
		c, err := parseObject(raw, top, p)
		errs = append(errs, err)
		out = append(out, c)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

var windowKeys = []string{"schedule", "durationHours", "utcOffset", "startDate", "startTime", "notAllowedDates"}

// parseObject decodes one configuration in ARM (properties), az (flattened)
// or bare maintenanceWindow shape.
func parseObject(raw json.RawMessage, top map[string]json.RawMessage, path string) (MaintenanceConfiguration, error) {
	var c MaintenanceConfiguration
	if props, ok := top["properties"]; ok && !isNull(props) {
		if err := json.Unmarshal(props, &c); err != nil {
			return c, jsonError(join(path, "properties"), err)
		}
		c.Name = "" // an ARM name lives beside properties, not inside
		if name, ok := top["name"]; ok {
			if err := json.Unmarshal(name, &c.Name); err != nil {
				return c, jsonError(join(path, "name"), err)
			}
		}
		return c, nil
	}
	for _, k := range []string{"maintenanceWindow", "timeInWeek", "notAllowedTime"} {
		if _, ok := top[k]; ok {
			err := json.Unmarshal(raw, &c)
			return c, jsonError(path, err)
		}
	}
	for _, k := range windowKeys {
		if _, ok := top[k]; ok {
			var w MaintenanceWindow
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&w); err != nil {
				return c, jsonError(join(path, "maintenanceWindow"), err)
			}
			c.MaintenanceWindow = &w
			return c, nil
		}
	}
	where := path
	if where == "" {
		where = "(top level)"
	}
	return c, errf(where, "not a maintenance configuration: want properties, maintenanceWindow, timeInWeek, or a bare maintenanceWindow with schedule")
}

func join(path, field string) string {
	switch {
	case path == "":
		return field
	case field == "":
		return path
	}
	return path + "." + field
}

// jsonError rewrites a decoding error to name the JSON path under path.
func jsonError(path string, err error) error {
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return errf(join(path, te.Field), "a JSON %s is not allowed here (want %v)", te.Value, te.Type)
	case errors.As(err, &se):
		return errf(orTop(path), "invalid JSON at byte %d: %v", se.Offset, se)
	}
	return &FieldError{Path: orTop(path), Err: err}
}

func orTop(path string) string {
	if path == "" {
		return "(top level)"
	}
	return path
}
