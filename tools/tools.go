//go:build tools

// Package tools pins the development tools (staticcheck, benchstat) by
// version, so that `go run -modfile=tools/go.mod` fetches them from the
// module proxy; the library's go.mod lists only its real dependencies.
package tools

import (
	_ "golang.org/x/perf/cmd/benchstat"
	_ "honnef.co/go/tools/cmd/staticcheck"
)
