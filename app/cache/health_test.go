package cache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// fakeClock is a settable time source.
type fakeClock struct{ now time.Time }

func (f *fakeClock) read() time.Time         { return f.now }
func (f *fakeClock) advance(d time.Duration) { f.now = f.now.Add(d) }
func countLines(logs *bytes.Buffer, level string) int {
	return strings.Count(logs.String(), "level="+level)
}

func newTestTracker(logs *bytes.Buffer, clock *fakeClock) *healthTracker {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", Password: "synthetic-password"})
	h := newHealthTracker(client, slog.New(slog.NewTextHandler(logs, nil)))
	_ = client.Close()
	h.now = clock.read

	return h
}

func TestHealthWarningRateLimit(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	h := newTestTracker(&logs, clock)
	failure := errors.New("connection refused")

	h.markDown(failure)
	downSince := clock.now
	for range 10 {
		clock.advance(5 * time.Second)
		h.markDown(failure)
	}
	if got := countLines(&logs, "WARN"); got != 1 {
		t.Errorf("%d warnings within a minute, want 1", got)
	}
	clock.advance(11 * time.Second)
	h.markDown(failure)
	if got := countLines(&logs, "WARN"); got != 2 {
		t.Errorf("%d warnings after a minute, want 2", got)
	}
	if state := h.snapshot(); state.Up || !state.Since.Equal(downSince) {
		t.Errorf("state %+v, want down since %v", state, downSince)
	}

	clock.advance(time.Second)
	h.markUp()
	h.markUp()
	if got := countLines(&logs, "INFO"); got != 1 {
		t.Errorf("%d info lines for one recovery, want 1", got)
	}
	if state := h.snapshot(); !state.Up || !state.Since.Equal(clock.now) || state.Reason != "" {
		t.Errorf("state after recovery %+v, want up since %v without a reason", state, clock.now)
	}
}

func TestHealthProbeWhileDown(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	h := newTestTracker(&logs, clock)

	steps := []struct {
		name    string
		advance time.Duration
		down    bool
		want    bool
	}{
		{"up", 0, false, true},
		{"just marked down", 0, true, false},
		{"half an interval later", probeInterval / 2, false, false},
		{"an interval later", probeInterval / 2, false, true},
		{"right after the probe", 0, false, false},
	}
	for _, step := range steps {
		clock.advance(step.advance)
		if step.down {
			h.markDown(errors.New("connection refused"))
		}
		if got := h.allow(); got != step.want {
			t.Errorf("%s: allow() = %v, want %v", step.name, got, step.want)
		}
	}
}

func TestSanitizeReason(t *testing.T) {
	t.Parallel()
	secret := "synthetic-password"
	long := strings.Repeat("x", 500)
	cases := []struct {
		name      string
		err       error
		has       string
		hasNot    string
		maxLength int
	}{
		{"known password", fmt.Errorf("AUTH %s failed", secret), "AUTH *** failed", secret, maxReasonLength},
		{"URL credentials", errors.New("dial redis://user:hunter2@cache.test:6379 failed"), "redis://***@cache.test", "hunter2", maxReasonLength},
		{"timeout", fmt.Errorf("no response: %w", context.DeadlineExceeded), "timeout: no response", "", maxReasonLength},
		{"long message", errors.New(long), "xxx", "", maxReasonLength + len("…")},
	}
	for _, tc := range cases {
		got := sanitizeReason(tc.err, []string{secret})
		if !strings.Contains(got, tc.has) {
			t.Errorf("%s: reason %q, want it to contain %q", tc.name, got, tc.has)
		}
		if tc.hasNot != "" && strings.Contains(got, tc.hasNot) {
			t.Errorf("%s: reason %q shows %q", tc.name, got, tc.hasNot)
		}
		if len(got) > tc.maxLength {
			t.Errorf("%s: reason is %d bytes, want at most %d", tc.name, len(got), tc.maxLength)
		}
	}
}
