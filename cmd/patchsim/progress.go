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

// progressModes are the values of --progress: auto is a bar on a terminal
// and plain lines otherwise.
var progressModes = []string{"auto", "bar", "plain", "none"}

// plainEvery is the interval between plain progress lines; runs shorter
// than it print none.
const plainEvery = 10 * time.Second

// plainProgress writes a line of progress every plainEvery, for logs and
// pipes where a redrawn bar would be noise. Like progress it reads the wall
// clock only to decide when to write.
type plainProgress struct {
	mu      sync.Mutex
	w       io.Writer
	now     func() time.Time
	start   time.Time
	next    time.Time
	written bool
	done    int
	total   int
}

func newPlainProgress(w io.Writer, now func() time.Time) *plainProgress {
	t := now()
	return &plainProgress{w: w, now: now, start: t, next: t.Add(plainEvery)}
}

// update is a plan.Options.Progress callback.
func (p *plainProgress) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done, p.total = done, total
	t := p.now()
	if t.Before(p.next) || total <= 0 {
		return
	}
	for !t.Before(p.next) {
		p.next = p.next.Add(plainEvery)
	}
	p.written = true
	elapsed := t.Sub(p.start)
	eta := "?"
	if done > 0 {
		eta = (time.Duration(float64(elapsed) * float64(total-done) / float64(done))).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "patchsim: %d/%d runs (%d%%), %s elapsed, eta %s\n", done, total, 100*done/total, elapsed.Round(time.Second), eta)
}

// finish writes a closing line when a progress line was written.
func (p *plainProgress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.written {
		fmt.Fprintf(p.w, "patchsim: %d/%d runs done in %s\n", p.done, p.total, p.now().Sub(p.start).Round(time.Second))
	}
}

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
