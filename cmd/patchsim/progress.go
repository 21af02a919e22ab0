package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Progress bar timing: nothing is drawn before progressDelay has passed, so
// short runs print nothing, and the bar is redrawn at most every
// progressEvery.
const (
	progressDelay = time.Second
	progressEvery = 100 * time.Millisecond
	progressWidth = 30
)

// progress draws a one-line bar of (variant, replication) pairs done on a
// terminal. It reads the wall clock (through now) only to decide when to
// draw; the simulation never sees it.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	now   func() time.Time
	start time.Time
	last  time.Time
	drawn bool
}

func newProgress(w io.Writer, now func() time.Time) *progress {
	return &progress{w: w, now: now, start: now()}
}

// update is a plan.Options.Progress callback.
func (p *progress) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.now()
	elapsed := t.Sub(p.start)
	if elapsed < progressDelay || total <= 0 || (p.drawn && t.Sub(p.last) < progressEvery && done < total) {
		return
	}
	p.last, p.drawn = t, true
	filled := progressWidth * done / total
	eta := "?"
	if done > 0 {
		eta = (time.Duration(float64(elapsed) * float64(total-done) / float64(done))).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d runs %3d%% eta %s\x1b[K",
		strings.Repeat("=", filled), strings.Repeat(" ", progressWidth-filled), done, total, 100*done/total, eta)
}

// finish erases the bar if one was drawn.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
