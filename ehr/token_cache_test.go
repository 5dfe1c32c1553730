package ehr

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countingFetch returns a TokenCache.Fetch that hands out "token-1",
// "token-2", ... with the given lifetime, and the counter of its calls.
func countingFetch(lifetime time.Duration, delay time.Duration) (func(context.Context) (string, time.Duration, error), *atomic.Int32) {
	var fetches atomic.Int32
	fetch := func(context.Context) (string, time.Duration, error) {
		n := fetches.Add(1)
		time.Sleep(delay)

		return "token-" + strconv.Itoa(int(n)), lifetime, nil
	}

	return fetch, &fetches
}

func TestTokenCacheConcurrentCallsFetchOnce(t *testing.T) {
	t.Parallel()

	fetch, fetches := countingFetch(time.Hour, 20*time.Millisecond)
	cache := &TokenCache{Fetch: fetch}

	const callers = 50
	tokens := make([]string, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			tokens[i], errs[i] = cache.Token(context.Background())
		})
	}
	wg.Wait()

	if got := fetches.Load(); got != 1 {
		t.Errorf("Fetch called %d times for %d concurrent callers, want 1", got, callers)
	}
	for i := range callers {
		if errs[i] != nil {
			t.Errorf("caller %d: Token error: %v", i, errs[i])
		}
		if tokens[i] != "token-1" {
			t.Errorf("caller %d: Token = %q, want %q", i, tokens[i], "token-1")
		}
	}
}

func TestTokenCacheReusesValidToken(t *testing.T) {
	t.Parallel()

	fetch, fetches := countingFetch(time.Hour, 0)
	cache := &TokenCache{Fetch: fetch}

	for i := range 3 {
		got, err := cache.Token(context.Background())
		if err != nil {
			t.Fatalf("call %d: Token error: %v", i, err)
		}
		if got != "token-1" {
			t.Errorf("call %d: Token = %q, want %q", i, got, "token-1")
		}
	}
	if got := fetches.Load(); got != 1 {
		t.Errorf("Fetch called %d times, want 1", got)
	}
}

func TestTokenCacheShortLifetimeFetchesEachTime(t *testing.T) {
	t.Parallel()

	// A lifetime under the 30 s renewal margin expires as soon as it is
	// cached.
	fetch, fetches := countingFetch(10*time.Second, 0)
	cache := &TokenCache{Fetch: fetch}

	for i := range 3 {
		got, err := cache.Token(context.Background())
		if err != nil {
			t.Fatalf("call %d: Token error: %v", i, err)
		}
		if want := "token-" + strconv.Itoa(i+1); got != want {
			t.Errorf("call %d: Token = %q, want %q", i, got, want)
		}
	}
	if got := fetches.Load(); got != 3 {
		t.Errorf("Fetch called %d times, want 3", got)
	}
}

func TestTokenCacheInvalidateMatchingToken(t *testing.T) {
	t.Parallel()

	fetch, fetches := countingFetch(time.Hour, 0)
	cache := &TokenCache{Fetch: fetch}

	first, err := cache.Token(context.Background())
	if err != nil {
		t.Fatalf("first Token error: %v", err)
	}
	cache.Invalidate(first)

	second, err := cache.Token(context.Background())
	if err != nil {
		t.Fatalf("Token after Invalidate error: %v", err)
	}
	if second != "token-2" {
		t.Errorf("Token after Invalidate = %q, want %q", second, "token-2")
	}
	if got := fetches.Load(); got != 2 {
		t.Errorf("Fetch called %d times, want 2", got)
	}
}

func TestTokenCacheInvalidateOtherTokenKeepsCached(t *testing.T) {
	t.Parallel()

	fetch, fetches := countingFetch(time.Hour, 0)
	cache := &TokenCache{Fetch: fetch}

	if _, err := cache.Token(context.Background()); err != nil {
		t.Fatalf("first Token error: %v", err)
	}
	// A caller that got 401 with an older token must not drop the token
	// another caller has fetched since.
	cache.Invalidate("token-0")
	cache.Invalidate("")

	got, err := cache.Token(context.Background())
	if err != nil {
		t.Fatalf("second Token error: %v", err)
	}
	if got != "token-1" {
		t.Errorf("Token after invalidating other tokens = %q, want %q", got, "token-1")
	}
	if n := fetches.Load(); n != 1 {
		t.Errorf("Fetch called %d times, want 1", n)
	}
}

func TestTokenCacheFetchErrorNotCached(t *testing.T) {
	t.Parallel()

	errTokenEndpoint := errors.New("token endpoint unavailable")
	var fetches atomic.Int32
	cache := &TokenCache{Fetch: func(context.Context) (string, time.Duration, error) {
		if fetches.Add(1) == 1 {
			return "", 0, errTokenEndpoint
		}
		return "token-2", time.Hour, nil
	}}

	got, err := cache.Token(context.Background())
	if !errors.Is(err, errTokenEndpoint) {
		t.Errorf("first Token error = %v, want the fetch error", err)
	}
	if got != "" {
		t.Errorf("first Token = %q, want empty on error", got)
	}

	got, err = cache.Token(context.Background())
	if err != nil {
		t.Fatalf("second Token error: %v", err)
	}
	if got != "token-2" {
		t.Errorf("second Token = %q, want %q", got, "token-2")
	}
	if n := fetches.Load(); n != 2 {
		t.Errorf("Fetch called %d times, want 2", n)
	}
}

func TestTokenCachePassesContextToFetch(t *testing.T) {
	t.Parallel()

	type ctxKey struct{}
	var seen any
	cache := &TokenCache{Fetch: func(ctx context.Context) (string, time.Duration, error) {
		seen = ctx.Value(ctxKey{})
		return "token-1", time.Hour, nil
	}}

	ctx := context.WithValue(context.Background(), ctxKey{}, "call-ctx")
	if _, err := cache.Token(ctx); err != nil {
		t.Fatalf("Token error: %v", err)
	}
	if seen != "call-ctx" {
		t.Errorf("Fetch saw context value %v, want the caller's context", seen)
	}
}
