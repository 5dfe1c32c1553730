package drills_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"ehrbridge/app/store/storetest"
)

// redisOutage is how long the drill keeps Redis stopped.
const redisOutage = 3 * time.Second

// TestDrillRedisStopped stops Redis under a running ehrbridge. Sends must
// go on and /health must report degraded. Once Redis runs again on the
// same port, /health must report ok without a restart of ehrbridge.
func TestDrillRedisStopped(t *testing.T) {
	requireBinary(t)
	began := time.Now()
	cache := startPrivateRedis(t)
	sim := startSimulator(t)
	server := startServer(t, "ehrbridge serve", serverSettings{
		databaseURL: storetest.NewDatabaseURL(t), redisURL: cache.url(), cachePrefix: "ehrbridge-drill:",
	})
	client := newAPIClient(server.url, 10*time.Second)
	pointSystemsAtSimulator(t, client, sim.url)
	body := samplePatient(t, "full-en.json", nil)

	requireSyncSends(t, client, body, 3, "with Redis running")
	t.Log("3 sync sends answered 200 with Redis running")
	waitHealth(t, client, "ok", 10*time.Second)

	cache.stop(t)
	stopped := time.Now()
	requireSyncSends(t, client, body, 5, "with Redis stopped")
	t.Log("5 sync sends answered 200 just after Redis stopped")
	waitHealth(t, client, "degraded", 15*time.Second)
	t.Logf("/health said degraded %s after Redis stopped", time.Since(stopped).Round(time.Millisecond))
	sent := 0
	for time.Since(stopped) < redisOutage {
		requireSyncSends(t, client, body, 5, "while /health says degraded")
		sent += 5
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("%d more sync sends answered 200 while Redis stayed stopped for %s", sent, redisOutage)
	if _, status, err := client.health(); err != nil || status != "degraded" {
		t.Fatalf("/health after %s without Redis: %q %v, want degraded", redisOutage, status, err)
	}

	cache.start(t)
	restarted := time.Now()
	// GET /ehr/cache/stats reads the cache's view of Redis without pinging
	// it, so this wait shows the cache reconnecting on its own, before
	// /health pings Redis again.
	waitUntil(t, 30*time.Second, "the cache to see Redis up again", func() bool { return cacheSeesRedisUp(t, client) })
	t.Logf("the cache saw Redis up %s after it started again, without a request to /health",
		time.Since(restarted).Round(time.Millisecond))
	waitHealth(t, client, "ok", 30*time.Second)
	t.Logf("/health said ok %s after Redis started again", time.Since(restarted).Round(time.Millisecond))
	requireSyncSends(t, client, body, 3, "after Redis started again")
	t.Log("3 sync sends answered 200 after Redis started again")
	if !server.running() {
		t.Fatalf("ehrbridge exited during the drill: %v", server.waitErr)
	}
	t.Logf("drill took %s", time.Since(began).Round(time.Millisecond))
}

// requireSyncSends makes count synchronous sends and fails the test unless
// each returns 200.
func requireSyncSends(t *testing.T, client *apiClient, body []byte, count int, when string) {
	t.Helper()
	for i := range count {
		answer, err := client.do(http.MethodPost, "/ehr/send-patient-data", body)
		if err != nil {
			t.Fatalf("sync send %d %s: %v", i+1, when, err)
		}
		if answer.status != http.StatusOK {
			t.Fatalf("sync send %d %s answered %d, want 200: %s", i+1, when, answer.status, answer.body)
		}
	}
}

// waitHealth polls GET /health until its status is want, and fails the
// test after within. It returns how long it waited.
func waitHealth(t *testing.T, client *apiClient, want string, within time.Duration) time.Duration {
	t.Helper()
	started := time.Now()
	for {
		_, status, err := client.health()
		if err == nil && status == want {
			return time.Since(started)
		}
		if time.Since(started) > within {
			t.Fatalf("/health did not say %s within %s (last status %q, error %v)", want, within, status, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// cacheSeesRedisUp reads redisHealth.up from GET /ehr/cache/stats.
func cacheSeesRedisUp(t *testing.T, client *apiClient) bool {
	t.Helper()
	answer, err := client.do(http.MethodGet, "/ehr/cache/stats", nil)
	if err != nil || answer.status != http.StatusOK {
		t.Fatalf("GET /ehr/cache/stats: %d %v %s", answer.status, err, answer.body)
	}
	var stats struct {
		RedisHealth struct {
			Up bool `json:"up"`
		} `json:"redisHealth"`
	}
	if err := json.Unmarshal(answer.body, &stats); err != nil {
		t.Fatalf("decoding /ehr/cache/stats: %v", err)
	}

	return stats.RedisHealth.Up
}
