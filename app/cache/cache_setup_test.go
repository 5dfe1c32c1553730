package cache

import (
	"context"
	"testing"
	"time"
)

// newTestCache returns a cache with short test timings unless opts sets
// them.
func newTestCache(opts Options, load Loader) *Cache {
	if opts.Timeout == 0 {
		opts.Timeout = 500 * time.Millisecond
	}
	if opts.AckWait == 0 {
		opts.AckWait = 3 * time.Second
	}

	return New(opts, load)
}

// startRun runs c.Run until the test ends, then checks that it returned.
func startRun(t *testing.T, c *Cache) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		c.Run(ctx)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("Run did not return within 5s of its context ending")
		}
	})
}

// waitFor polls condition until it holds or timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, condition func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !condition() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", timeout, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitSubscribed waits until c's Run loop has confirmed n subscriptions.
func waitSubscribed(t *testing.T, c *Cache, n int64) {
	t.Helper()
	waitFor(t, 10*time.Second, "the invalidation subscription", func() bool {
		return c.Stats().Subscriptions >= n
	})
}

// mustGet looks name up and fails the test on error.
func mustGet(t *testing.T, c *Cache, name string) Entry {
	t.Helper()
	entry, err := c.Get(context.Background(), name)
	if err != nil {
		t.Fatalf("Get(%q): %v", name, err)
	}

	return entry
}
