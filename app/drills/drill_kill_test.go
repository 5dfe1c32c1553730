package drills_test

import (
	"context"
	"testing"
	"time"

	"ehrbridge/app/store/storetest"
)

// TestDrillKillDuringAsyncSends kills ehrbridge with SIGKILL in the middle
// of a stream of asynchronous sends, starts a new process on the same
// database, and checks that every accepted send reaches the EHR, each
// endpoint exactly once.
func TestDrillKillDuringAsyncSends(t *testing.T) {
	requireBinary(t)
	began := time.Now()
	databaseURL := storetest.NewDatabaseURL(t)
	redisURL := sharedRedisURL(t)
	settings := serverSettings{databaseURL: databaseURL, redisURL: redisURL, cachePrefix: uniqueCachePrefix(t, redisURL)}
	sim := startSimulator(t)
	first := startServer(t, "ehrbridge serve (before the kill)", settings)
	firstClient := newAPIClient(first.url, 10*time.Second)
	pointSystemsAtSimulator(t, firstClient, sim.url)
	// A short delay on every athena call keeps deliveries running when the
	// kill comes. The simulator stores a delayed call even when its caller
	// is gone, like an EHR whose response was lost.
	sim.addFault(t, simulatorFault{System: "athena", Mode: "latency", LatencyMs: 20})

	const total, senders, killAfter = 400, 8, 150
	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	load := startAsyncLoad(ctx, firstClient, samplePatient(t, "full-en.json", nil), senders, total, 0)
	waitUntil(t, 60*time.Second, "the first accepted sends", func() bool { return load.acceptedCount() >= killAfter })
	killedAt := time.Now()
	first.kill(t)
	stopLoad()
	results := load.wait()

	accepted := acceptedIDs(results)
	cutByKill := 0
	for _, result := range results {
		if result.err != nil && result.started.Before(killedAt) {
			cutByKill++
		}
	}
	statusesAtKill := countsByGroup(t, databaseURL, "SELECT status, count(*)::int FROM transactions GROUP BY status")
	jobsAtKill := countsByGroup(t, databaseURL, "SELECT state::text, count(*)::int FROM river_job GROUP BY state")
	recorded := 0
	for _, count := range statusesAtKill {
		recorded += count
	}
	t.Logf("at the kill: %d sends answered 202, %d requests cut off by the kill, %d transactions recorded",
		len(accepted), cutByKill, recorded)
	t.Logf("at the kill: transactions by status %v; jobs by state %v", statusesAtKill, jobsAtKill)
	t.Logf("in flight at the kill: %d transactions not yet succeeded, %d of them processing",
		recorded-statusesAtKill["succeeded"], statusesAtKill["processing"])
	if len(accepted) < killAfter {
		t.Fatalf("%d sends accepted before the kill, want at least %d", len(accepted), killAfter)
	}

	second := startServer(t, "ehrbridge serve (after the kill)", settings)
	restarted := time.Now()
	details := waitAllSucceeded(t, newAPIClient(second.url, 10*time.Second), accepted, 90*time.Second)
	t.Logf("all %d accepted transactions succeeded %s after the new process started",
		len(accepted), time.Since(restarted).Round(time.Millisecond))

	requireEachEndpointStoredOnce(t, sim, accepted, details)
	stats := sim.stats(t)
	t.Logf("simulator: %d calls stored, %d replayed from an earlier Idempotency-Key, %d delayed by the fault",
		stats.Received, stats.Replayed, stats.FaultsFired)
	t.Logf("drill took %s", time.Since(began).Round(time.Millisecond))
}

// requireEachEndpointStoredOnce checks, through the simulator's inbox, that
// each endpoint of each accepted transaction was stored exactly once, and
// that no call at all was stored twice.
func requireEachEndpointStoredOnce(t *testing.T, sim *simulatorProcess, accepted []string, details map[string]transactionDetail) {
	t.Helper()
	calls := sim.calls(t)
	counts := callsByIdempotencyKey(calls)
	checked := 0
	for _, id := range accepted {
		for _, endpoint := range details[id].Endpoints {
			key := id + ":" + endpoint.Endpoint
			if counts[key] != 1 {
				t.Errorf("endpoint %s of transaction %s stored %d times, want 1", endpoint.Endpoint, id, counts[key])
			}
			checked++
		}
	}
	for key, count := range counts {
		if key == "" {
			t.Errorf("%d calls stored without an Idempotency-Key", count)
		} else if count > 1 {
			t.Errorf("call with Idempotency-Key %s stored %d times", key, count)
		}
	}
	t.Logf("simulator inbox: %d calls, %d endpoints of accepted transactions each stored once", len(calls), checked)
}
