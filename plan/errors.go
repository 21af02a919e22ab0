package plan

import (
	"errors"
	"fmt"
	"strings"

	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/window"
)

// FieldError is one problem of a scenario. Path names the field as the
// file writes it ("clusters[0].pools[1].count").
// Variant, when set, names the variant whose overrides cause the problem
// ("variants[2] (surge-50%)"). Err says what is wrong and is wrapped:
// errors.Is and errors.As see through it, for example to
// channel.ErrSecurityPatchOnWindows.
type FieldError struct {
	Variant string
	Path    string
	Err     error
}

// Error returns "plan: [VARIANT ]PATH: REASON", REASON being Err's message
// without its package name.
func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString("plan: ")
	if e.Variant != "" {
		b.WriteString(e.Variant + " ")
	}
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(reason(e.Err))
	return b.String()
}

// Unwrap returns Err.
func (e *FieldError) Unwrap() error { return e.Err }

// reason returns err's message without the names of the packages that
// made it: under a path, "window: " or "fleet: " says nothing more. A
// wrapped error's message is read as the wrapper's words, then the wrapped
// error's reason.
func reason(err error) string {
	msg := err.Error()
	for _, p := range []string{"plan: ", "fleet: ", "channel: ", "window: ", "sim: "} {
		if rest, ok := strings.CutPrefix(msg, p); ok {
			msg = rest
			break
		}
	}
	if inner := errors.Unwrap(err); inner != nil {
		if head, ok := strings.CutSuffix(msg, inner.Error()); ok {
			return head + reason(inner)
		}
	}
	return msg
}

// fieldErr returns a FieldError at path whose reason is the formatted
// message.
func fieldErr(path, format string, args ...any) *FieldError {
	return &FieldError{Path: path, Err: fmt.Errorf(format, args...)}
}

// problems collects a scenario's problems, each once: the same problem
// found again (the base scenario's, repeated by every variant; a grid
// value's, repeated by every combination that uses it) is dropped.
type problems struct {
	errs []error
	seen map[string]bool
	// at holds the variant and path of every problem recorded, so that a
	// value that was given but did not convert is not also "required".
	at map[string]bool
}

// add records the problems in err (every error of an errors.Join), each at
// path under variant, unless already recorded. It returns whether err had
// any problem.
func (p *problems) add(variant, path string, err error) bool {
	if err == nil {
		return false
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			p.add(variant, path, e)
		}
		return true
	}
	// A path error's own path goes under path (the fleet's and window's
	// paths are the scenario's below the field they come from), and each
	// problem it wraps is listed on its own.
	var innerPath string
	var cause error
	switch inner := err.(type) {
	case *FieldError:
		innerPath, cause = inner.Path, inner.Err
	case *fleet.FieldError:
		innerPath, cause = inner.Path, inner.Err
	case *window.FieldError:
		innerPath, cause = inner.Path, inner.Err
	}
	fe := &FieldError{Path: path, Err: err}
	if cause != nil {
		if _, many := cause.(interface{ Unwrap() []error }); many {
			return p.add(variant, join(path, innerPath), cause)
		}
		fe = &FieldError{Path: join(path, innerPath), Err: cause}
	}
	if fe.Path == "" {
		// A problem that is not about one field: kept as it is.
		if key := err.Error(); !p.seen[key] {
			p.mark(key)
			p.errs = append(p.errs, err)
		}
		return true
	}
	key := fe.Error()
	if p.seen[key] {
		return true
	}
	at := variant + " " + fe.Path
	if p.at[at] && reason(fe.Err) == "is required" {
		return true
	}
	if p.at == nil {
		p.at = map[string]bool{}
	}
	p.at[at] = true
	p.mark(key)
	fe.Variant = variant
	p.errs = append(p.errs, fe)
	return true
}

func (p *problems) mark(key string) {
	if p.seen == nil {
		p.seen = map[string]bool{}
	}
	p.seen[key] = true
}

// err returns every problem recorded, joined; nil if none.
func (p *problems) err() error { return errors.Join(p.errs...) }
