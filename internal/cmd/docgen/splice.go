package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
)

// splice rewrites the part of the file at path between the lines begin and
// end (both kept) with text. It fails, writing nothing, when the file lacks
// either marker or has end before begin.
func splice(path, begin, end string, text []byte) error {
	old, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	i := bytes.Index(old, []byte(begin))
	j := bytes.Index(old, []byte(end))
	if i < 0 || j < i+len(begin) {
		return fmt.Errorf("%s: no markers %q ... %q in that order", path, strings.TrimSpace(begin), strings.TrimSpace(end))
	}
	var b bytes.Buffer
	b.Write(old[:i+len(begin)])
	b.Write(text)
	b.Write(old[j:])
	return os.WriteFile(path, b.Bytes(), 0o644)
}
