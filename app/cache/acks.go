package cache

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// Polling intervals while waiting for acknowledgements.
const (
	firstAckPoll = 2 * time.Millisecond
	maxAckPoll   = 25 * time.Millisecond
)

// awaitAcks waits until receivers copies have acknowledged message id, or
// Options.AckWait has passed, in which case it logs a warning.
func (c *Cache) awaitAcks(ctx context.Context, id string, receivers int64) {
	if receivers <= 0 {
		return
	}
	waitCtx, cancel := context.WithTimeout(ctx, c.opts.AckWait)
	defer cancel()
	poll := firstAckPoll
	var acked int64
	for {
		acked = c.countAcks(waitCtx, id)
		if acked >= receivers {
			return
		}
		select {
		case <-waitCtx.Done():
			c.stats.ackTimeouts.Add(1)
			c.log.Warn("not every copy confirmed a mapping invalidation in time; their entries expire within the local TTL",
				"message_id", id, "acknowledged", acked, "expected", receivers, "waited", c.opts.AckWait)
			return
		case <-time.After(poll):
			poll = min(2*poll, maxAckPoll)
		}
	}
}

// countAcks reads the acknowledgement counter of message id. It returns 0
// when the counter is missing or cannot be read.
func (c *Cache) countAcks(ctx context.Context, id string) int64 {
	var acked int64
	err := c.redisOp(ctx, func(ctx context.Context) error {
		var err error
		acked, err = c.opts.Redis.Get(ctx, c.keys.ack(id)).Int64()
		if errors.Is(err, redis.Nil) {
			return nil
		}
		return err
	})
	if err != nil {
		return 0
	}

	return acked
}

// acknowledge counts this copy's confirmation of message id.
func (c *Cache) acknowledge(ctx context.Context, id string) error {
	return c.redisOp(ctx, func(ctx context.Context) error {
		_, err := c.opts.Redis.Pipelined(ctx, func(pipe redis.Pipeliner) error {
			pipe.Incr(ctx, c.keys.ack(id))
			pipe.Expire(ctx, c.keys.ack(id), ackLifetime)
			return nil
		})
		return err
	})
}
