package window

import "fmt"

// FieldError is one problem of a schedule's specification: Path names the
// field ("Rule", "maintenanceWindow.durationHours") and Err says what is
// wrong. Err is wrapped, so errors.Is and errors.As see through it.
type FieldError struct {
	Path string
	Err  error
}

// Error returns "window: PATH: ERR".
func (e *FieldError) Error() string { return "window: " + e.Path + ": " + e.Err.Error() }

// Unwrap returns Err.
func (e *FieldError) Unwrap() error { return e.Err }

// errf returns a FieldError at path whose Err is the formatted message.
func errf(path, format string, args ...any) error {
	return &FieldError{Path: path, Err: fmt.Errorf(format, args...)}
}
