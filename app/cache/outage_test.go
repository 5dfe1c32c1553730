package cache

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// unreachableRedis lists the ways Redis can fail, with and without the
// client's ContextTimeoutEnabled. With go-redis's default retries a refused
// dial is retried for about 400ms, past the 100ms limit, so it reads as a
// timeout. failFast turns those retries off.
var unreachableRedis = []struct {
	name           string
	addr           func(t *testing.T) string
	contextTimeout bool
	failFast       bool
	reasonHas      string
}{
	{"closed port", closedPort, false, true, "refused"},
	{"closed port, context timeouts on", closedPort, true, true, "refused"},
	{"closed port, default retries", closedPort, false, false, "timeout"},
	{"silent server", startSilentServer, false, false, "timeout"},
	{"silent server, context timeouts on", startSilentServer, true, false, "timeout"},
}

func TestGetWithUnreachableRedis(t *testing.T) {
	t.Parallel()
	for _, tc := range unreachableRedis {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := &redis.Options{
				Addr: tc.addr(t), Password: "synthetic-password", ContextTimeoutEnabled: tc.contextTimeout,
			}
			if tc.failFast {
				opts.MaxRetries, opts.DialerRetries = -1, 1
			}
			client := redis.NewClient(opts)
			t.Cleanup(func() { _ = client.Close() })
			db := newFakeDatabase("Athena")
			c := New(Options{Redis: client, Prefix: "unreachable:", Timeout: 100 * time.Millisecond}, db.load)

			start := time.Now()
			entry, err := c.Get(context.Background(), "Athena")
			took := time.Since(start)

			if err != nil || entry.Mapping.Version != 1 {
				t.Fatalf("Get returned version %d, error %v; want version 1 from the loader", entry.Mapping.Version, err)
			}
			if took > time.Second {
				t.Errorf("Get took %v, want about the 100ms timeout at most", took)
			}
			health := c.RedisHealth()
			if !health.Configured || health.Up || health.Since.IsZero() {
				t.Errorf("health %+v, want configured, down, with a time", health)
			}
			if !strings.Contains(health.Reason, tc.reasonHas) {
				t.Errorf("reason %q, want it to mention %q", health.Reason, tc.reasonHas)
			}
			if strings.Contains(health.Reason, "synthetic-password") {
				t.Errorf("reason %q shows the password", health.Reason)
			}
			if got := c.Stats().Redis.Errors; got != 1 {
				t.Errorf("redis errors %d, want 1", got)
			}
			mustGet(t, c, "Athena") // within the probe interval: Redis is skipped
			if got := c.Stats().Redis.Skipped; got != 1 {
				t.Errorf("redis lookups skipped %d, want 1", got)
			}
		})
	}
}

func TestInvalidateRetriedAfterOutage(t *testing.T) {
	t.Parallel()
	direct, prefix := testRedis(t)
	proxy := newTCPProxy(t, direct.Options().Addr)
	viaProxy := redis.NewClient(&redis.Options{Addr: proxy.addr, ContextTimeoutEnabled: true})
	t.Cleanup(func() { _ = viaProxy.Close() })
	db := newFakeDatabase("Athena")
	c := newTestCache(Options{Redis: viaProxy, Prefix: prefix, MaxItems: 10, Timeout: 100 * time.Millisecond}, db.load)
	startRun(t, c)
	waitSubscribed(t, c, 1)
	mustGet(t, c, "Athena")
	ctx := context.Background()

	proxy.stop()
	db.publishVersion("Athena")
	if err := c.Invalidate(ctx, "Athena"); !errors.Is(err, ErrRedisUnavailable) {
		t.Fatalf("Invalidate with Redis down: error %v, want ErrRedisUnavailable", err)
	}
	if got := c.Stats().PendingInvalidations; got != 1 {
		t.Errorf("pending invalidations %d, want 1", got)
	}
	if got := mustGet(t, c, "Athena").Mapping.Version; got != 2 {
		t.Errorf("Get while the invalidation is pending returned version %d, want 2", got)
	}

	proxy.start(t)
	waitFor(t, 10*time.Second, "the pending invalidation to reach Redis", func() bool {
		return c.Stats().PendingInvalidations == 0
	})
	if got := direct.Exists(ctx, c.keys.pointer("athena")).Val(); got != 0 {
		t.Error("the retried invalidation left the old pointer in Redis")
	}
}

func TestRedisUsedAgainAfterRestart(t *testing.T) {
	t.Parallel()
	direct, prefix := testRedis(t)
	proxy := newTCPProxy(t, direct.Options().Addr)
	viaProxy := redis.NewClient(&redis.Options{Addr: proxy.addr, ContextTimeoutEnabled: true})
	t.Cleanup(func() { _ = viaProxy.Close() })
	db := newFakeDatabase("Athena", "Cerner")
	opts := Options{Prefix: prefix, MaxItems: 10, LocalTTL: time.Hour, Timeout: 100 * time.Millisecond}
	opts.Redis = viaProxy
	restarted := newTestCache(opts, db.load)
	opts.Redis = direct
	steady := newTestCache(opts, db.load)
	startRun(t, restarted)
	startRun(t, steady)
	waitSubscribed(t, restarted, 1)
	waitSubscribed(t, steady, 1)
	ctx := context.Background()
	mustGet(t, restarted, "Athena")

	proxy.stop()
	db.publishVersion("Athena")
	if err := steady.Invalidate(ctx, "Athena"); err != nil { // the restarted copy misses this message
		t.Fatalf("Invalidate: %v", err)
	}
	mustGet(t, restarted, "Cerner") // reaches Redis, which is down
	if restarted.RedisHealth().Up {
		t.Error("health is up while the proxy is stopped")
	}

	proxy.start(t)
	waitSubscribed(t, restarted, 2)
	if health := restarted.RedisHealth(); !health.Up || health.Reason != "" {
		t.Errorf("health after the restart %+v, want up without a reason", health)
	}
	if _, held := restarted.local.get("athena"); held {
		t.Error("after subscribing again the copy still holds an entry whose invalidation it missed")
	}
	mustGet(t, steady, "Athena") // writes version 2 to Redis
	hitsBefore := restarted.Stats().Redis.Hits
	if got := mustGet(t, restarted, "Athena").Mapping.Version; got != 2 {
		t.Errorf("Get after the restart returned version %d, want 2", got)
	}
	if got := restarted.Stats().Redis.Hits; got != hitsBefore+1 {
		t.Errorf("redis hits %d after the restart, want %d", got, hitsBefore+1)
	}

	if err := steady.Invalidate(ctx, "Athena"); err != nil {
		t.Fatalf("Invalidate after the restart: %v", err)
	}
	if _, held := restarted.local.get("athena"); held {
		t.Error("the restarted copy's Run loop did not drop the entry")
	}
}
