package ratelimit_test

import (
	"testing"
	"time"

	"ehrbridge/app/ratelimit"
)

func TestLimiterAllowsBurstThenWaits(t *testing.T) {
	limiter := ratelimit.New(2, 3)
	now := time.Now()

	for i := range 3 {
		if ok, _ := limiter.Allow("key", now); !ok {
			t.Fatalf("event %d of the burst denied", i+1)
		}
	}
	ok, wait := limiter.Allow("key", now)
	if ok {
		t.Fatal("event past the burst allowed")
	}
	if wait <= 0 || wait > 500*time.Millisecond {
		t.Errorf("wait %v, want up to 500ms at 2 per second", wait)
	}

	if ok, _ := limiter.Allow("key", now.Add(wait)); !ok {
		t.Errorf("event after the announced wait denied")
	}
}

func TestLimiterKeysAreSeparate(t *testing.T) {
	limiter := ratelimit.New(1, 1)
	now := time.Now()
	limiter.Allow("a", now)

	if ok, _ := limiter.Allow("b", now); !ok {
		t.Fatal("key b limited by key a's use")
	}
}

func TestLimiterDeniedEventsTakeNoToken(t *testing.T) {
	limiter := ratelimit.New(1, 1)
	now := time.Now()
	limiter.Allow("a", now)
	for range 10 {
		limiter.Allow("a", now)
	}

	if ok, _ := limiter.Allow("a", now.Add(time.Second)); !ok {
		t.Fatal("denied events delayed the next allowed one")
	}
}

func TestLimiterWithoutRateAllowsAll(t *testing.T) {
	limiter := ratelimit.New(0, 0)
	for range 1000 {
		if ok, _ := limiter.Allow("a", time.Now()); !ok {
			t.Fatal("unlimited limiter denied an event")
		}
	}
}

func TestRetryAfterSecondsRoundsUp(t *testing.T) {
	cases := map[time.Duration]int{0: 1, 10 * time.Millisecond: 1, 1500 * time.Millisecond: 2, 3 * time.Second: 3}
	for wait, want := range cases {
		if got := ratelimit.RetryAfterSeconds(wait); got != want {
			t.Errorf("RetryAfterSeconds(%v) = %d, want %d", wait, got, want)
		}
	}
}
