package cache

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
)

// invalidation is the message published on the invalidation channel.
type invalidation struct {
	ID   string `json:"id"`
	Name string `json:"name"` // a normalName, or allNames
}

// Invalidate drops the entry of the EHR named ehrName from every tier and
// every running copy. It returns once every copy subscribed to the channel
// has confirmed, or after Options.AckWait with a logged warning. When Redis
// cannot be reached the local entry is still dropped, the Redis part is left
// to Run to retry, and the error wraps ErrRedisUnavailable.
func (c *Cache) Invalidate(ctx context.Context, ehrName string) error {
	c.stats.invalidations.Add(1)

	return c.invalidate(ctx, normalName(ehrName))
}

// Clear drops every entry from every tier and every running copy, as
// Invalidate does for one name.
func (c *Cache) Clear(ctx context.Context) error {
	c.stats.clears.Add(1)

	return c.invalidate(ctx, allNames)
}

// invalidate drops name (or allNames) here, in Redis, and in the other
// copies.
func (c *Cache) invalidate(ctx context.Context, name string) error {
	c.local.drop(name)
	c.forgetFlights(name)
	if c.opts.Redis == nil {
		return nil
	}
	message := invalidation{ID: uuid.NewString(), Name: name}
	receivers, err := c.invalidateRedis(ctx, message)
	if err != nil {
		c.pending.add(name)
		return fmt.Errorf("invalidating cached mappings in redis: %w", err)
	}
	c.awaitAcks(ctx, message.ID, receivers)

	return nil
}

// invalidateRedis removes message.Name from Redis and publishes message,
// returning how many subscribers received it.
func (c *Cache) invalidateRedis(ctx context.Context, message invalidation) (int64, error) {
	payload, err := json.Marshal(message)
	if err != nil {
		return 0, fmt.Errorf("encoding invalidation message: %w", err)
	}
	if message.Name == allNames {
		return c.clearRedis(ctx, payload)
	}
	var published *redis.IntCmd
	err = c.redisOp(ctx, func(ctx context.Context) error {
		_, err := c.opts.Redis.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
			pipe.Incr(ctx, c.keys.generation())
			pipe.Del(ctx, c.keys.pointer(message.Name))
			published = pipe.Publish(ctx, c.keys.channel(), payload)
			return nil
		})
		return err
	})
	if err != nil {
		return 0, err
	}

	return published.Val(), nil
}

// clearRedis raises the generation, deletes every pointer and content key
// of the prefix, then publishes payload.
func (c *Cache) clearRedis(ctx context.Context, payload []byte) (int64, error) {
	err := c.redisOp(ctx, func(ctx context.Context) error {
		return c.opts.Redis.Incr(ctx, c.keys.generation()).Err()
	})
	if err != nil {
		return 0, err
	}
	if err := c.deleteEntryKeys(ctx); err != nil {
		return 0, err
	}
	var receivers int64
	err = c.redisOp(ctx, func(ctx context.Context) error {
		var err error
		receivers, err = c.opts.Redis.Publish(ctx, c.keys.channel(), payload).Result()
		return err
	})
	if err != nil {
		return 0, err // receivers may still be written by a timed-out operation
	}

	return receivers, nil
}

// scanBatch is the COUNT hint of each SCAN step.
const scanBatch = 500

// deleteEntryKeys walks the prefix's keys with SCAN (never KEYS) and
// deletes the pointer and content keys, one bounded operation per step.
func (c *Cache) deleteEntryKeys(ctx context.Context) error {
	var cursor uint64
	for {
		var found []string
		err := c.redisOp(ctx, func(ctx context.Context) error {
			var err error
			found, cursor, err = c.opts.Redis.Scan(ctx, cursor, c.keys.entryPattern(), scanBatch).Result()
			return err
		})
		if err != nil {
			return fmt.Errorf("scanning cached mappings: %w", err)
		}
		if err := c.deleteKeys(ctx, entryKeys(found)); err != nil {
			return err
		}
		if cursor == 0 {
			return nil
		}
	}
}

// entryKeys keeps the pointer and content keys of keys.
func entryKeys(keys []string) []string {
	kept := keys[:0]
	for _, key := range keys {
		if isEntryKey(key) {
			kept = append(kept, key)
		}
	}

	return kept
}

func (c *Cache) deleteKeys(ctx context.Context, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	err := c.redisOp(ctx, func(ctx context.Context) error {
		return c.opts.Redis.Unlink(ctx, keys...).Err()
	})
	if err != nil {
		return fmt.Errorf("deleting cached mappings: %w", err)
	}

	return nil
}
