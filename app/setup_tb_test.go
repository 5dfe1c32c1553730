package app_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"ehrbridge/app"
	"ehrbridge/app/store/storetest"
)

// setupTB starts ehrbridge in development mode on a new database like
// setup, for callers that hold a testing.TB instead of a *testing.T, such
// as a fuzz target before f.Fuzz. Unlike setup, it keeps only log lines at
// or above LOG_LEVEL (default warn), so a long fuzz run does not fill memory
// with request logs.
func setupTB(tb testing.TB, extraEnv map[string]string) *testEnv {
	tb.Helper()
	env := map[string]string{
		"DATABASE_URL":       storetest.NewDatabaseURL(tb),
		"REDIS_URL":          requireRedisTB(tb),
		"CACHE_PREFIX":       uniqueCachePrefixTB(tb),
		"APP_ENV":            "development",
		"LOG_LEVEL":          "warn",
		"EHR_TIMEOUT":        "2s",
		"RATE_LIMIT_PER_IP":  "0",
		"RATE_LIMIT_PER_KEY": "0",
	}
	for key, value := range extraEnv {
		env[key] = value
	}
	cfg, err := app.LoadConfig(func(key string) (string, bool) {
		value, ok := env[key]
		return value, ok
	})
	if err != nil {
		tb.Fatalf("LoadConfig: %v", err)
	}

	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: cfg.LogLevel}))
	a, err := app.New(context.Background(), cfg, logger)
	if err != nil {
		tb.Fatalf("app.New: %v", err)
	}
	// The server receives only the in-process simulator's calls, because
	// the EHR systems seeded in development send to this URL.
	server := httptest.NewServer(a.Router())
	a.Integrations.SetSelfURL(server.URL)
	tb.Cleanup(func() {
		server.Close()
		a.Close()
		if tb.Failed() {
			tb.Logf("server log:\n%s", logs.String())
		}
	})

	return &testEnv{app: a, server: server, logs: logs}
}

// requireRedisTB is requireRedis for a testing.TB.
func requireRedisTB(tb testing.TB) string {
	tb.Helper()
	options, err := redis.ParseURL(testRedisURL())
	if err != nil {
		tb.Fatalf("parsing REDIS_TEST_URL: %v", err)
	}
	client := redis.NewClient(options)
	defer client.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil && os.Getenv("CI") == "true" {
		tb.Fatalf("Redis at %s is required under CI=true: %v", testRedisURL(), err)
	}

	return testRedisURL()
}

// uniqueCachePrefixTB is uniqueCachePrefix for a testing.TB.
func uniqueCachePrefixTB(tb testing.TB) string {
	prefix := "ehrbridge-test-" + strings.ReplaceAll(uuid.NewString(), "-", "")[:12] + ":"
	tb.Cleanup(func() {
		options, err := redis.ParseURL(testRedisURL())
		if err != nil {
			return
		}
		client := redis.NewClient(options)
		defer client.Close()
		ctx := context.Background()
		keys, _ := client.Keys(ctx, prefix+"*").Result()
		if len(keys) > 0 {
			client.Del(ctx, keys...)
		}
	})

	return prefix
}
