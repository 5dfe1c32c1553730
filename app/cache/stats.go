package cache

import (
	"sync/atomic"
	"time"
)

// Stats is a snapshot of the cache's counters since Since.
type Stats struct {
	// Since is when counting began.
	Since    time.Time `json:"since"`
	Local    TierStats `json:"local"`
	Redis    TierStats `json:"redis"`
	Database TierStats `json:"database"`
	// RedisHealth is the state of the Redis tier.
	RedisHealth RedisHealth `json:"redisHealth"`
	// Invalidations counts Invalidate calls on this copy.
	Invalidations int64 `json:"invalidations"`
	// Clears counts Clear calls on this copy.
	Clears int64 `json:"clears"`
	// InvalidationsReceived counts invalidation messages handled by Run,
	// this copy's own included.
	InvalidationsReceived int64 `json:"invalidationsReceived"`
	// AckTimeouts counts invalidations whose acknowledgements did not all
	// arrive within AckWait.
	AckTimeouts int64 `json:"ackTimeouts"`
	// PendingInvalidations counts invalidations Redis has not taken yet,
	// which Run retries.
	PendingInvalidations int `json:"pendingInvalidations"`
	// SharedLoads counts lookups that joined a load already running for the
	// same name instead of starting their own.
	SharedLoads int64 `json:"sharedLoads"`
	// Subscriptions counts confirmed subscriptions of Run to the
	// invalidation channel. More than one means it reconnected.
	Subscriptions int64 `json:"subscriptions"`
}

// TierStats counts the lookups that reached one tier. A load shared by
// several callers counts once in the Redis and database tiers.
type TierStats struct {
	Hits   int64 `json:"hits"`
	Misses int64 `json:"misses"`
	// Errors counts lookups that failed (Redis down or slow, database
	// errors other than an unknown EHR).
	Errors int64 `json:"errors"`
	// Skipped counts lookups that bypassed the tier: Redis marked down
	// between probes, or an invalidation still pending.
	Skipped int64 `json:"skipped"`
	// HitRate is Hits / (Hits + Misses), 0 before any lookup.
	HitRate float64 `json:"hitRate"`
	// Entries is the number of entries held, or -1 when not counted.
	Entries int `json:"entries"`
	// MeanLookup and P99Lookup summarise the most recent lookups (up to
	// 2048) that reached the tier, hits, misses and errors alike.
	MeanLookup time.Duration `json:"meanLookupNs"`
	P99Lookup  time.Duration `json:"p99LookupNs"`
	Samples    int           `json:"samples"`
}

// outcome is the result of one tier lookup.
type outcome int

const (
	hit outcome = iota
	miss
	failure
)

// tierCounters accumulates one tier's lookups.
type tierCounters struct {
	hits, misses, errors, skipped atomic.Int64
	durations                     durationRing
}

// record counts one lookup that began at start.
func (t *tierCounters) record(result outcome, start time.Time) {
	t.durations.add(time.Since(start))
	switch result {
	case hit:
		t.hits.Add(1)
	case miss:
		t.misses.Add(1)
	default:
		t.errors.Add(1)
	}
}

func (t *tierCounters) snapshot(entries int) TierStats {
	s := TierStats{
		Hits: t.hits.Load(), Misses: t.misses.Load(), Errors: t.errors.Load(),
		Skipped: t.skipped.Load(), Entries: entries,
	}
	if looked := s.Hits + s.Misses; looked > 0 {
		s.HitRate = float64(s.Hits) / float64(looked)
	}
	s.MeanLookup, s.P99Lookup, s.Samples = t.durations.summary()

	return s
}

// counters holds every counter of a Cache.
type counters struct {
	since                                   time.Time
	local, redis, database                  tierCounters
	invalidations, clears, received         atomic.Int64
	ackTimeouts, sharedLoads, subscriptions atomic.Int64
}

func newCounters() *counters {
	return &counters{since: time.Now()}
}

// Stats returns a snapshot of the counters and of Redis health. Redis
// entries are reported as -1: counting them would need a SCAN.
func (c *Cache) Stats() Stats {
	s := c.stats

	return Stats{
		Since:                 s.since,
		Local:                 s.local.snapshot(c.local.len()),
		Redis:                 s.redis.snapshot(-1),
		Database:              s.database.snapshot(-1),
		RedisHealth:           c.RedisHealth(),
		Invalidations:         s.invalidations.Load(),
		Clears:                s.clears.Load(),
		InvalidationsReceived: s.received.Load(),
		AckTimeouts:           s.ackTimeouts.Load(),
		PendingInvalidations:  c.pending.size(),
		SharedLoads:           s.sharedLoads.Load(),
		Subscriptions:         s.subscriptions.Load(),
	}
}

// RedisHealth returns the state of the Redis tier.
func (c *Cache) RedisHealth() RedisHealth {
	return c.health.snapshot()
}
