package fleet

import "fmt"

// FieldError is one problem of a [Config]: Path names the field as
// "clusters[0].pools[1].count" and Err says what is wrong. Err is wrapped,
// so errors.Is finds the sentinels of channel (such as
// channel.ErrSecurityPatchOnWindows) through it.
type FieldError struct {
	Path string
	Err  error
}

// Error returns "fleet: PATH: ERR".
func (e *FieldError) Error() string { return "fleet: " + e.Path + ": " + e.Err.Error() }

// Unwrap returns Err.
func (e *FieldError) Unwrap() error { return e.Err }

// fieldErr returns a FieldError at path whose Err is the formatted message.
func fieldErr(path, format string, args ...any) error {
	return &FieldError{Path: path, Err: fmt.Errorf(format, args...)}
}
