package cache

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisHealth is the state of the Redis tier.
type RedisHealth struct {
	// Configured is false when the cache runs without Redis.
	Configured bool `json:"configured"`
	// Up is true until an operation fails, and again after one succeeds.
	Up bool `json:"up"`
	// Since is when Up last changed (or when the cache was made).
	Since time.Time `json:"since"`
	// Reason is the cause of the last failure, with passwords masked.
	Reason string `json:"reason,omitempty"`
}

// Timings of the health tracker.
const (
	warningInterval = time.Minute // at most one "still down" warning per interval
	probeInterval   = time.Second // while down, at most one lookup per interval tries Redis
)

// healthTracker records whether Redis works and logs the changes.
type healthTracker struct {
	mu          sync.Mutex
	state       RedisHealth
	lastWarning time.Time
	nextProbe   time.Time
	secrets     []string
	log         *slog.Logger
	now         func() time.Time
}

func newHealthTracker(client *redis.Client, log *slog.Logger) *healthTracker {
	h := &healthTracker{log: log, now: time.Now}
	h.state = RedisHealth{Configured: client != nil, Up: client != nil, Since: h.now()}
	if client == nil {
		h.state.Reason = "not configured"
		return h
	}
	if password := client.Options().Password; password != "" {
		h.secrets = append(h.secrets, password)
	}

	return h
}

// snapshot returns the current state.
func (h *healthTracker) snapshot() RedisHealth {
	h.mu.Lock()
	defer h.mu.Unlock()

	return h.state
}

// allow reports whether a lookup should try Redis: always while it is up,
// and once per probeInterval while it is down.
func (h *healthTracker) allow() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.state.Configured {
		return false
	}
	if h.state.Up {
		return true
	}
	now := h.now()
	if now.Before(h.nextProbe) {
		return false
	}
	h.nextProbe = now.Add(probeInterval)

	return true
}

// markDown records a failed operation, warning on the change and then at
// most once per warningInterval.
func (h *healthTracker) markDown(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	h.nextProbe = now.Add(probeInterval)
	h.state.Reason = sanitizeReason(err, h.secrets)
	if h.state.Up {
		h.state.Up = false
		h.state.Since = now
		h.lastWarning = now
		h.log.Warn("redis is down; mapping lookups go to the database", "reason", h.state.Reason)
		return
	}
	if now.Sub(h.lastWarning) >= warningInterval {
		h.lastWarning = now
		h.log.Warn("redis is still down", "reason", h.state.Reason, "down_since", h.state.Since)
	}
}

// markUp records a successful operation, logging the change.
func (h *healthTracker) markUp() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.state.Up {
		return
	}
	now := h.now()
	h.log.Info("redis is up again", "down_for", now.Sub(h.state.Since).Round(time.Millisecond))
	h.state = RedisHealth{Configured: true, Up: true, Since: now}
}

// CheckRedis pings Redis within Options.Timeout and returns the state the
// ping leaves. Lookups served from the local tier never reach Redis, so
// without the ping a stopped Redis would go unnoticed for up to LocalTTL.
// While Redis is down, the ping shares the budget of one probe per
// probeInterval with lookups, and the state is returned without a ping
// when the budget is used.
func (c *Cache) CheckRedis(ctx context.Context) RedisHealth {
	if c.opts.Redis != nil && c.health.allow() {
		_ = c.redisOp(ctx, func(ctx context.Context) error { return c.opts.Redis.Ping(ctx).Err() })
	}

	return c.health.snapshot()
}
