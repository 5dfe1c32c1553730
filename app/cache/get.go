package cache

import (
	"context"
	"errors"
	"fmt"
	"time"

	"ehrbridge/app/store"
)

// Get returns the system and current mapping of the EHR named ehrName,
// matched case-insensitively, from the nearest tier that has it. For an
// unknown EHR it returns the Loader's error, which wraps store.ErrNotFound.
func (c *Cache) Get(ctx context.Context, ehrName string) (Entry, error) {
	name := normalName(ehrName)
	start := time.Now()
	if entry, ok := c.local.get(name); ok {
		c.stats.local.record(hit, start)
		return entry, nil
	}
	c.stats.local.record(miss, start)

	return c.shareLookup(ctx, name)
}

// lookupResult carries a shared lookup's outcome to every caller.
type lookupResult struct {
	entry Entry
	err   error
}

// shareLookup runs one lookup below the local tier for all concurrent
// callers asking for name. The lookup is not cancelled with the first
// caller's context, because each caller stops waiting when its own context
// ends.
func (c *Cache) shareLookup(ctx context.Context, name string) (Entry, error) {
	detached := context.WithoutCancel(ctx)
	led := false // set only when this caller's function runs the lookup
	results := c.flights.Load().DoChan(name, func() (any, error) {
		led = true
		entry, err := c.lookupBelowLocal(detached, name)
		return lookupResult{entry: entry, err: err}, nil
	})
	select {
	case <-ctx.Done():
		return Entry{}, fmt.Errorf("looking up EHR %q: %w", name, ctx.Err())
	case result := <-results:
		if !led {
			c.stats.sharedLoads.Add(1)
		}
		found := result.Val.(lookupResult)
		return found.entry, found.err
	}
}

// lookupBelowLocal reads Redis, then the Loader, and fills the tiers that
// missed.
func (c *Cache) lookupBelowLocal(ctx context.Context, name string) (Entry, error) {
	epoch := c.local.currentEpoch()
	read, redisOK := c.lookupRedis(ctx, name)
	if read.found {
		c.local.fill(name, read.entry, epoch)
		return read.entry, nil
	}
	entry, err := c.lookupDatabase(ctx, name)
	if err != nil {
		return Entry{}, err
	}
	if redisOK {
		if err := c.fillRedis(ctx, name, read.generation, entry); err != nil {
			c.log.Debug("mapping not written to redis", "error", err)
		}
	}
	c.local.fill(name, entry, epoch)

	return entry, nil
}

// lookupRedis reads name from Redis when Redis is usable for it. It
// returns ok false when Redis was skipped or failed, so no fill follows.
func (c *Cache) lookupRedis(ctx context.Context, name string) (read redisRead, ok bool) {
	if c.opts.Redis == nil {
		return redisRead{}, false
	}
	if c.pending.covers(name) || !c.health.allow() {
		c.stats.redis.skipped.Add(1)
		return redisRead{}, false
	}
	start := time.Now()
	read, err := c.readRedis(ctx, name)
	switch {
	case err != nil:
		c.stats.redis.record(failure, start)
		return redisRead{}, false
	case read.found:
		c.stats.redis.record(hit, start)
	default:
		c.stats.redis.record(miss, start)
	}

	return read, true
}

// lookupDatabase calls the Loader and counts the outcome.
func (c *Cache) lookupDatabase(ctx context.Context, name string) (Entry, error) {
	start := time.Now()
	entry, err := c.load(ctx, name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		c.stats.database.record(miss, start)
	case err != nil:
		c.stats.database.record(failure, start)
	default:
		c.stats.database.record(hit, start)
	}
	if err != nil {
		return Entry{}, fmt.Errorf("loading EHR %q: %w", name, err)
	}

	return entry, nil
}
