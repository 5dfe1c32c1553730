package drills_test

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
)

// startupLimit bounds how long a process may take before it responds.
const startupLimit = 60 * time.Second

// simulatorProcess is `ehrbridge sim` on its own port.
type simulatorProcess struct {
	*childProcess
	url string
}

// startSimulator runs the EHR simulator as its own process.
func startSimulator(t *testing.T) *simulatorProcess {
	t.Helper()
	port := freePort(t)
	env := envList(map[string]string{"LOG_LEVEL": "warn"})
	child := startChild(t, "ehrbridge sim", env, ehrbridgeBinary, "sim", "-port", itoa(port))
	sim := &simulatorProcess{childProcess: child, url: "http://" + hostPort(port)}
	child.waitReady(t, sim.url+"/stats", 200, startupLimit)

	return sim
}

// serverSettings are the variables that differ between the drills'
// ehrbridge processes.
type serverSettings struct {
	databaseURL string
	redisURL    string
	cachePrefix string
	// extra overrides or adds configuration variables.
	extra map[string]string
}

// serverProcess is `ehrbridge serve` on its own port.
type serverProcess struct {
	*childProcess
	url string
}

// startServer runs `ehrbridge serve` in development mode, without sign-in
// or rate limits, with fast queue timings, and waits until /health
// returns 200.
func startServer(t *testing.T, name string, settings serverSettings) *serverProcess {
	t.Helper()
	port := freePort(t)
	values := map[string]string{
		"APP_ENV":                "development",
		"HOST":                   "127.0.0.1",
		"PORT":                   itoa(port),
		"DATABASE_URL":           settings.databaseURL,
		"REDIS_URL":              settings.redisURL,
		"CACHE_PREFIX":           settings.cachePrefix,
		"AUTH_REQUIRED":          "false",
		"RATE_LIMIT_PER_IP":      "0",
		"RATE_LIMIT_PER_KEY":     "0",
		"QUEUE_POLL_INTERVAL":    "50ms",
		"QUEUE_RETRY_BASE_DELAY": "100ms",
		"QUEUE_RETRY_MAX_DELAY":  "1s",
		"QUEUE_JOB_TIMEOUT":      "5s",
		"QUEUE_RESCUE_AFTER":     "5s",
		"EHR_TIMEOUT":            "2s",
		"SHUTDOWN_TIMEOUT":       "2s",
		"LOG_LEVEL":              "info",
	}
	for key, value := range settings.extra {
		values[key] = value
	}
	child := startChild(t, name, envList(values), ehrbridgeBinary, "serve")
	server := &serverProcess{childProcess: child, url: "http://" + hostPort(port)}
	child.waitReady(t, server.url+"/health", 200, startupLimit)

	return server
}

// sharedRedisURL is the Redis the drills share for caching: REDIS_TEST_URL
// or the local one. Under CI=true it must respond. Elsewhere a missing Redis
// only makes the servers report degraded, which the drills that use it
// tolerate.
func sharedRedisURL(t *testing.T) string {
	t.Helper()
	raw := "redis://127.0.0.1:6379/0"
	if fromEnv := strings.TrimSpace(os.Getenv("REDIS_TEST_URL")); fromEnv != "" {
		raw = fromEnv
	}
	options, err := redis.ParseURL(raw)
	if err != nil {
		t.Fatalf("parsing REDIS_TEST_URL: %v", err)
	}
	client := redis.NewClient(options)
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil && underCI() {
		t.Fatalf("Redis at %s is required under CI=true: %v", redactedURL(raw), err)
	}

	return raw
}

// uniqueCachePrefix gives one drill its own Redis keys and invalidation
// channel on redisURL, and deletes the keys when the drill ends.
func uniqueCachePrefix(t *testing.T, redisURL string) string {
	t.Helper()
	prefix := "ehrbridge-drill-" + strings.ReplaceAll(uuid.NewString(), "-", "")[:12] + ":"
	t.Cleanup(func() {
		options, err := redis.ParseURL(redisURL)
		if err != nil {
			return
		}
		client := redis.NewClient(options)
		defer client.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		keys, err := client.Keys(ctx, prefix+"*").Result()
		if err == nil && len(keys) > 0 {
			client.Del(ctx, keys...)
		}
	})

	return prefix
}

// redactedURL hides the password of a URL before it is printed.
func redactedURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}

	return u.Redacted()
}
