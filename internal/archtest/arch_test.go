// Package archtest holds the architecture test: imports point down
// (DESIGN.md section 1), library code never reads the wall clock, sleeps or
// uses the global or v1 random sources, and examples/ and benchmarks/ use
// only the public API.
package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/patchsim/patchsim"

// allowed lists, for each library package, the packages of this module it
// may import. A package missing from the table may not exist: add it here
// with its place in the house.
var allowed = map[string][]string{
	"sim":     {},
	"window":  {"internal"},
	"channel": {"sim", "internal"},
	"fleet":   {"sim", "window", "channel"},
	"plan":    {"sim", "window", "channel", "fleet", "internal"},
	"aks":     {"sim", "window", "channel", "fleet", "plan"}, // it builds a plan.Scenario (DESIGN.md section 1)
	"report":  {"sim", "window", "channel", "fleet", "plan", "internal"},
}

// library is the set of packages whose non-test code must not read the wall
// clock, sleep, or use math/rand v1.
func library(pkg string) bool {
	_, ok := allowed[pkg]
	return ok
}

// plotFree lists library packages that must not pull in gonum/plot: a user
// who only simulates never compiles it.
var plotFree = []string{"sim", "window", "channel", "fleet", "plan", "aks"}

var bannedImports = map[string]string{
	"math/rand":             "use math/rand/v2 with a named stream (sim.Stream)",
	"golang.org/x/exp/rand": "deprecated; use math/rand/v2 with a named stream (sim.Stream)",
	"time/tzdata":           "only test files may embed the zone database",
}

type file struct {
	rel     string // slash path relative to the module root
	pkg     string // top directory (or "cmd/patchsim", "internal/...")
	test    bool
	imports []string
	ast     *ast.File
}

func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("module root not found at %s: %v", dir, err)
	}
	return dir
}

func parseTree(t *testing.T) []file {
	t.Helper()
	top := root(t)
	fset := token.NewFileSet()
	var files []file
	err := filepath.WalkDir(top, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != top && (strings.HasPrefix(name, ".") || name == "testdata" || name == "tools") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		rel, _ := filepath.Rel(top, path)
		fl, err := parseFile(fset, filepath.ToSlash(rel), path, nil)
		if err != nil {
			return err
		}
		files = append(files, fl)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no Go files found")
	}
	return files
}

// parseFile parses one Go file (from src when non-nil, else from path) as
// the file rel of the module.
func parseFile(fset *token.FileSet, rel, path string, src any) (file, error) {
	f, err := parser.ParseFile(fset, path, src, 0)
	if err != nil {
		return file{}, err
	}
	fl := file{rel: rel, pkg: pkgOf(rel), test: strings.HasSuffix(rel, "_test.go"), ast: f}
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		fl.imports = append(fl.imports, p)
	}
	return fl, nil
}

// pkgOf names the package of a file by its directory: the top directory for
// library packages and examples/benchmarks, the full directory otherwise.
func pkgOf(rel string) string {
	dir := filepath.ToSlash(filepath.Dir(rel))
	first, _, _ := strings.Cut(dir, "/")
	switch first {
	case "examples", "benchmarks":
		return first
	}
	if _, ok := allowed[first]; ok {
		return first
	}
	return dir
}

// ours returns the module-relative top directory of an import of this
// module, and whether it is one.
func ours(imp string) (string, bool) {
	if imp == module {
		return "", true
	}
	rest, ok := strings.CutPrefix(imp, module+"/")
	return rest, ok
}

func TestImportsPointDown(t *testing.T) { report(t, importProblems(parseTree(t))) }

func importProblems(files []file) []string {
	var problems []string
	for _, f := range files {
		allow, isLib := allowed[f.pkg]
		for _, imp := range f.imports {
			rel, ok := ours(imp)
			if !ok {
				continue
			}
			top, _, _ := strings.Cut(rel, "/")
			switch {
			case f.pkg == "examples" || f.pkg == "benchmarks":
				if strings.Contains("/"+rel+"/", "/internal/") || top == "cmd" {
					problems = append(problems, f.rel+": imports non-public "+imp)
				}
			case isLib:
				if top == f.pkg {
					continue // a package's own subpackages and external tests
				}
				if !contains(allow, top) {
					problems = append(problems, f.rel+": "+f.pkg+" may not import "+imp+" (allowed: "+strings.Join(allow, ", ")+")")
				}
			}
		}
	}
	return problems
}

func TestLibraryAvoidsPlot(t *testing.T) { report(t, plotProblems(parseTree(t))) }

func plotProblems(files []file) []string {
	var problems []string
	for _, f := range files {
		if f.test || !contains(plotFree, f.pkg) {
			continue
		}
		for _, imp := range f.imports {
			if strings.HasPrefix(imp, "gonum.org/v1/plot") {
				problems = append(problems, f.rel+": imports "+imp+"; plots live in report alone")
			}
		}
	}
	return problems
}

func TestNoBannedImports(t *testing.T) { report(t, bannedProblems(parseTree(t))) }

func bannedProblems(files []file) []string {
	var problems []string
	for _, f := range files {
		for _, imp := range f.imports {
			why, banned := bannedImports[imp]
			if !banned {
				continue
			}
			if imp == "time/tzdata" && f.test {
				continue
			}
			problems = append(problems, f.rel+": imports "+imp+": "+why)
		}
	}
	return problems
}

// TestNoWallClock fails when library code calls time.Now, time.Since,
// time.Until, time.Sleep, time.After, time.Tick or timers: library code takes
// the instant it reasons about as input.
func TestNoWallClock(t *testing.T) { report(t, clockProblems(parseTree(t))) }

func clockProblems(files []file) []string {
	banned := map[string]bool{"Now": true, "Since": true, "Until": true, "Sleep": true,
		"After": true, "AfterFunc": true, "Tick": true, "NewTimer": true, "NewTicker": true}
	var problems []string
	for _, f := range files {
		if f.test || !library(f.pkg) {
			continue
		}
		timeName := ""
		for _, imp := range f.ast.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "time" {
				timeName = "time"
				if imp.Name != nil {
					timeName = imp.Name.Name
				}
			}
		}
		if timeName == "" {
			continue
		}
		ast.Inspect(f.ast, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == timeName && banned[sel.Sel.Name] {
				problems = append(problems, f.rel+": uses time."+sel.Sel.Name+"; take the instant as input")
			}
			return true
		})
	}
	return problems
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func report(t *testing.T, problems []string) {
	t.Helper()
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}
