// Package ratelimit keeps one token bucket per key (an API key, a client
// IP, a user name) in memory, with a bounded number of keys.
//
// Limits are per process: with several copies behind a load balancer each
// copy counts on its own, so the effective limit is the configured one
// times the number of copies.
package ratelimit

import (
	"math"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/time/rate"
)

// maxTrackedKeys bounds memory: the least recently seen keys are dropped
// first, which at worst gives a dropped key a fresh bucket.
const maxTrackedKeys = 100_000

// Limiter allows Burst events at once per key and refills at Rate per
// second.
type Limiter struct {
	limit   rate.Limit
	burst   int
	mu      sync.Mutex // makes finding or adding a key's bucket one step
	buckets *expirable.LRU[string, *rate.Limiter]
}

// New returns a limiter of perSecond events per second per key with the
// given burst. A perSecond of zero or less means no limit.
func New(perSecond float64, burst int) *Limiter {
	if burst < 1 {
		burst = 1
	}
	l := &Limiter{limit: rate.Limit(perSecond), burst: burst}
	if perSecond <= 0 {
		l.limit = rate.Inf
		return l
	}
	// A bucket idle long enough to refill completely behaves like a new
	// one, so it can be forgotten after that time.
	refill := time.Duration(float64(burst)/perSecond*float64(time.Second)) + time.Second
	l.buckets = expirable.NewLRU[string, *rate.Limiter](maxTrackedKeys, nil, refill)

	return l
}

// Allow takes one event for key. When the bucket is empty it returns false
// and how long until an event would be allowed.
func (l *Limiter) Allow(key string, now time.Time) (bool, time.Duration) {
	if l.limit == rate.Inf {
		return true, 0
	}
	reservation := l.bucket(key).ReserveN(now, 1)
	delay := reservation.DelayFrom(now)
	if delay == 0 {
		return true, 0
	}
	reservation.CancelAt(now)

	return false, delay
}

func (l *Limiter) bucket(key string) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()

	bucket, ok := l.buckets.Get(key)
	if !ok {
		bucket = rate.NewLimiter(l.limit, l.burst)
		l.buckets.Add(key, bucket)
	}

	return bucket
}

// RetryAfterSeconds rounds a wait up to whole seconds for a Retry-After
// header, never below one.
func RetryAfterSeconds(wait time.Duration) int {
	return max(1, int(math.Ceil(wait.Seconds())))
}
