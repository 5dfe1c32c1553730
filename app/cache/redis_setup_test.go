package cache

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisURL is the Redis the tests use: REDIS_URL, or the local default.
func redisURL() string {
	if url := os.Getenv("REDIS_URL"); url != "" {
		return url
	}

	return "redis://127.0.0.1:6379/0"
}

// testRedis connects to the test Redis and returns the client and a fresh
// key prefix; the prefix's keys are deleted when the test ends. Without a
// reachable Redis the test fails under CI=true and is skipped otherwise.
func testRedis(t testing.TB) (*redis.Client, string) {
	t.Helper()
	opts, err := redis.ParseURL(redisURL())
	if err != nil {
		t.Fatalf("parsing REDIS_URL: %v", err)
	}
	opts.ContextTimeoutEnabled = true
	client := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis at %s is unreachable: %v", opts.Addr, err)
		}
		t.Skipf("redis at %s is unreachable: %v", opts.Addr, err)
	}
	prefix := "ehrbridge-test:" + randomHex(t) + ":"
	t.Cleanup(func() {
		deletePrefix(t, client, prefix)
		_ = client.Close()
	})

	return client, prefix
}

// randomHex returns 8 random bytes in hex.
func randomHex(t testing.TB) string {
	t.Helper()
	raw := make([]byte, 8)
	if _, err := rand.Read(raw); err != nil {
		t.Fatalf("reading random bytes: %v", err)
	}

	return hex.EncodeToString(raw)
}

// deletePrefix removes every key that starts with prefix.
func deletePrefix(t testing.TB, client *redis.Client, prefix string) {
	t.Helper()
	ctx := context.Background()
	keys := keysWithPrefix(t, client, prefix)
	if len(keys) > 0 {
		if err := client.Del(ctx, keys...).Err(); err != nil {
			t.Errorf("deleting test keys: %v", err)
		}
	}
}

// keysWithPrefix lists the keys that start with prefix, using SCAN.
func keysWithPrefix(t testing.TB, client *redis.Client, prefix string) []string {
	t.Helper()
	var all []string
	iter := client.Scan(context.Background(), 0, escapeGlob(prefix)+"*", 500).Iterator()
	for iter.Next(context.Background()) {
		all = append(all, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Fatalf("scanning test keys: %v", err)
	}

	return all
}
