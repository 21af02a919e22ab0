package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock is a wall clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestProgressWaitsASecond(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	var out bytes.Buffer
	bar := newProgress(&out, clock.now)

	clock.t = clock.t.Add(500 * time.Millisecond)
	bar.update(10, 100)
	assert.Empty(t, out.String(), "a run under a second draws nothing")

	clock.t = clock.t.Add(600 * time.Millisecond)
	bar.update(25, 100)
	assert.Contains(t, out.String(), " 25/100 runs  25% eta 3s")

	drawn := out.Len()
	clock.t = clock.t.Add(10 * time.Millisecond)
	bar.update(26, 100)
	assert.Equal(t, drawn, out.Len(), "redraws are throttled")

	clock.t = clock.t.Add(10 * time.Millisecond)
	bar.update(100, 100)
	assert.Contains(t, out.String(), "[==============================] 100/100 runs 100%")

	bar.finish()
	assert.True(t, strings.HasSuffix(out.String(), "\r\x1b[K"), "finish erases the bar")
}

func TestProgressFinishWithoutBar(t *testing.T) {
	clock := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	var out bytes.Buffer
	bar := newProgress(&out, clock.now)
	bar.update(1, 2)
	bar.finish()
	assert.Empty(t, out.String())
}

func TestIsTerminal(t *testing.T) {
	assert.False(t, isTerminal(&bytes.Buffer{}))
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, isTerminal(f), "a regular file is not a terminal")
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		assert.True(t, isTerminal(tty))
	}
}
