package cache

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
)

// Timings of the subscriber loop.
const (
	retryInterval     = time.Second // between retries of pending invalidations
	resubscribeDelay  = time.Second // before a new subscription when one ends
	healthCheckPeriod = time.Second // idle time after which the subscription is pinged
)

// Run receives invalidation messages until ctx is done: it drops the named
// local entries and acknowledges each message. It also retries
// invalidations that Redis did not take. It keeps going across Redis
// restarts. Without Redis it only waits for ctx.
func (c *Cache) Run(ctx context.Context) {
	if c.opts.Redis == nil {
		<-ctx.Done()
		return
	}
	for {
		c.listen(ctx)
		select {
		case <-ctx.Done():
			return
		case <-time.After(resubscribeDelay):
		}
	}
}

// listen serves one subscription until ctx is done or the subscription
// closes. go-redis reconnects and subscribes again by itself after a lost
// connection, and each confirmed subscription reaches onSubscribed.
func (c *Cache) listen(ctx context.Context) {
	subscription := c.opts.Redis.Subscribe(ctx, c.keys.channel())
	defer func() { _ = subscription.Close() }()
	messages := subscription.ChannelWithSubscriptions(redis.WithChannelHealthCheckInterval(healthCheckPeriod))
	retries := time.NewTicker(retryInterval)
	defer retries.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case received, open := <-messages:
			if !open {
				c.log.Warn("invalidation subscription closed; subscribing again")
				return
			}
			c.handle(ctx, received)
		case <-retries.C:
			c.retryPending(ctx)
		}
	}
}

// handle acts on one item of the subscription channel.
func (c *Cache) handle(ctx context.Context, received any) {
	switch item := received.(type) {
	case *redis.Subscription:
		if item.Kind == "subscribe" {
			c.onSubscribed(ctx)
		}
	case *redis.Message:
		c.onMessage(ctx, item.Payload)
	}
}

// onSubscribed runs whenever the subscription is (re)confirmed: messages
// sent while it was away are lost, so every local entry goes.
func (c *Cache) onSubscribed(ctx context.Context) {
	c.health.markUp()
	c.local.drop(allNames)
	c.forgetFlights(allNames)
	c.stats.subscriptions.Add(1)
	c.log.Debug("listening for mapping invalidations")
	c.retryPending(ctx)
}

// onMessage drops the entry a message names and acknowledges it.
func (c *Cache) onMessage(ctx context.Context, payload string) {
	var message invalidation
	if err := json.Unmarshal([]byte(payload), &message); err != nil || message.Name == "" {
		c.log.Warn("ignoring a malformed invalidation message")
		return
	}
	if _, err := uuid.Parse(message.ID); err != nil {
		c.log.Warn("ignoring an invalidation message without a valid id")
		return
	}
	c.local.drop(message.Name)
	c.forgetFlights(message.Name)
	c.stats.received.Add(1)
	if err := c.acknowledge(ctx, message.ID); err != nil {
		c.log.Debug("invalidation not acknowledged", "message_id", message.ID, "error", err)
	}
}

// retryPending hands Redis the invalidations it did not take before. The
// retries do not wait for acknowledgements: the acknowledgements of this
// copy come from this same loop.
func (c *Cache) retryPending(ctx context.Context) {
	for _, pending := range c.pending.list() {
		message := invalidation{ID: uuid.NewString(), Name: pending.name}
		if _, err := c.invalidateRedis(ctx, message); err != nil {
			return
		}
		c.pending.remove(pending)
		c.log.Info("pending mapping invalidation delivered", "message_id", message.ID)
	}
}
