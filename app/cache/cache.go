package cache

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

// Entry is the result of one lookup: the EHR system and its current
// mapping. Entries are shared between callers and must not be modified.
type Entry struct {
	System  store.System `json:"system"`
	Mapping ehr.Mapping  `json:"mapping"`
}

// Loader reads an entry from PostgreSQL. The cache passes the name in lower
// case. It returns an error wrapping store.ErrNotFound for an unknown EHR,
// and such misses are never cached.
type Loader func(ctx context.Context, ehrName string) (Entry, error)

// Options configure a Cache. Zero durations take the defaults named below.
type Options struct {
	// Redis is the shared tier. With nil only the in-process tier is used,
	// and Redis is reported as not configured.
	Redis *redis.Client
	// Prefix starts every Redis key and channel name, as in "ehrbridge:".
	Prefix string
	// TTL is the lifetime of a Redis entry (default one hour).
	TTL time.Duration
	// MaxItems bounds the in-process tier, which evicts the least recently
	// used entry. Zero or less turns the in-process tier off.
	MaxItems int
	// LocalTTL is how long an in-process entry may live (default 30s): the
	// bound on staleness when an invalidation message is lost.
	LocalTTL time.Duration
	// Timeout bounds each Redis operation (default 100ms). A slower response
	// counts as Redis down.
	Timeout time.Duration
	// AckWait is how long Invalidate waits for every copy to confirm that
	// it dropped the entry (default 2s).
	AckWait time.Duration
	// Logger receives health changes and warnings. Nil discards them.
	Logger *slog.Logger
}

// Default option values.
const (
	DefaultTTL      = time.Hour
	DefaultLocalTTL = 30 * time.Second
	DefaultTimeout  = 100 * time.Millisecond
	DefaultAckWait  = 2 * time.Second
)

// Cache is the two-tier mapping cache in front of a Loader. It is safe for
// concurrent use.
type Cache struct {
	opts    Options
	load    Loader
	keys    keySpace
	local   *localTier
	flights atomic.Pointer[singleflight.Group]
	health  *healthTracker
	pending *pendingSet
	stats   *counters
	log     *slog.Logger
}

// New returns a cache that loads missing entries with load. Call Run in a
// goroutine to receive invalidations from other copies.
func New(opts Options, load Loader) *Cache {
	opts = withDefaults(opts)
	c := &Cache{
		opts:    opts,
		load:    load,
		keys:    keySpace{prefix: opts.Prefix},
		local:   newLocalTier(opts.MaxItems, opts.LocalTTL),
		pending: &pendingSet{},
		stats:   newCounters(),
		log:     opts.Logger,
	}
	c.flights.Store(&singleflight.Group{})
	c.health = newHealthTracker(opts.Redis, opts.Logger)

	return c
}

// withDefaults fills zero options with their defaults.
func withDefaults(opts Options) Options {
	if opts.TTL <= 0 {
		opts.TTL = DefaultTTL
	}
	if opts.LocalTTL <= 0 {
		opts.LocalTTL = DefaultLocalTTL
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.AckWait <= 0 {
		opts.AckWait = DefaultAckWait
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}

	return opts
}

// forgetFlights makes later lookups start fresh loads instead of joining
// loads that began before an invalidation.
func (c *Cache) forgetFlights(name string) {
	if name == allNames {
		c.flights.Store(&singleflight.Group{})
		return
	}
	c.flights.Load().Forget(name)
}
