package cache

import (
	"context"
	"errors"
	"fmt"
)

// ErrRedisUnavailable reports that Redis failed or did not respond within
// Options.Timeout.
var ErrRedisUnavailable = errors.New("redis unavailable")

// errNoRedis reports an operation skipped because Redis is not configured
// or is marked down between probes.
var errNoRedis = fmt.Errorf("skipped: %w", ErrRedisUnavailable)

// redisOp runs one Redis operation within Options.Timeout and records the
// outcome in the health tracker. A failure caused by the caller's own
// context ending does not count against Redis.
func (c *Cache) redisOp(ctx context.Context, op func(ctx context.Context) error) error {
	if c.opts.Redis == nil {
		return errNoRedis
	}
	err := c.bounded(ctx, op)
	if err == nil {
		c.health.markUp()
		return nil
	}
	if ctx.Err() != nil {
		return err
	}
	c.health.markDown(err)

	return fmt.Errorf("%w: %w", ErrRedisUnavailable, err)
}

// bounded returns op's result, or a timeout error once Options.Timeout has
// passed. A client whose ContextTimeoutEnabled is off ignores context
// deadlines on its sockets, so then op runs in its own goroutine, which
// ends when the client's own read timeout does.
func (c *Cache) bounded(ctx context.Context, op func(ctx context.Context) error) error {
	opCtx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	if c.opts.Redis.Options().ContextTimeoutEnabled {
		return c.explainTimeout(opCtx, op(opCtx))
	}
	done := make(chan error, 1)
	go func() { done <- op(opCtx) }()
	select {
	case err := <-done:
		return c.explainTimeout(opCtx, err)
	case <-opCtx.Done():
		return c.explainTimeout(opCtx, opCtx.Err())
	}
}

// explainTimeout names the time limit when err came from opCtx running out.
func (c *Cache) explainTimeout(opCtx context.Context, err error) error {
	if err == nil || !errors.Is(opCtx.Err(), context.DeadlineExceeded) {
		return err
	}

	return fmt.Errorf("timed out after %s: %w", c.opts.Timeout, context.DeadlineExceeded)
}
