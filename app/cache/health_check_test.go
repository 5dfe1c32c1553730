package cache

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestCheckRedisSeesOutageBehindLocalTier(t *testing.T) {
	t.Parallel()
	direct, prefix := testRedis(t)
	proxy := newTCPProxy(t, direct.Options().Addr)
	viaProxy := redis.NewClient(&redis.Options{Addr: proxy.addr, ContextTimeoutEnabled: true, MaxRetries: -1})
	t.Cleanup(func() { _ = viaProxy.Close() })
	db := newFakeDatabase("Athena")
	c := newTestCache(Options{Redis: viaProxy, Prefix: prefix, MaxItems: 10, LocalTTL: time.Hour, Timeout: 100 * time.Millisecond}, db.load)
	ctx := context.Background()
	mustGet(t, c, "Athena")

	if health := c.CheckRedis(ctx); !health.Up {
		t.Fatalf("CheckRedis with Redis reachable = %+v, want up", health)
	}

	proxy.stop()
	mustGet(t, c, "Athena") // served by the local tier, without Redis
	if !c.RedisHealth().Up {
		t.Fatal("a local hit marked Redis down, so this test no longer shows what CheckRedis adds")
	}
	if health := c.CheckRedis(ctx); health.Up || health.Reason == "" {
		t.Errorf("CheckRedis with the proxy stopped = %+v, want down with a reason", health)
	}

	proxy.start(t)
	waitFor(t, 5*time.Second, "CheckRedis to see Redis up again", func() bool { return c.CheckRedis(ctx).Up })
}
