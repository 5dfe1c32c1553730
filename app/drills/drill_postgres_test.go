package drills_test

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// postgresOutage is how long the drill keeps PostgreSQL stopped.
const postgresOutage = 10 * time.Second

// sendTimeout is the client's time limit of one send in the PostgreSQL
// drill: no response within it counts as a hang.
const sendTimeout = 5 * time.Second

// TestDrillPostgresStoppedUnderLoad stops a private PostgreSQL for ten
// seconds while sends keep coming, then starts it again. Sends must get
// 503 during the outage and never hang. Every accepted send must be
// delivered once, by the same ehrbridge process.
func TestDrillPostgresStoppedUnderLoad(t *testing.T) {
	requireBinary(t)
	began := time.Now()
	pg := startPrivatePostgres(t)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("PostgreSQL log:\n%s", pg.serverLog())
		}
	})
	redisURL := sharedRedisURL(t)
	settings := serverSettings{databaseURL: pg.databaseURL("ehrbridge_drill"), redisURL: redisURL,
		cachePrefix: uniqueCachePrefix(t, redisURL)}
	sim := startSimulator(t)
	server := startServer(t, "ehrbridge serve", settings)
	client := newAPIClient(server.url, sendTimeout)
	pointSystemsAtSimulator(t, client, sim.url)
	// Slower athena calls keep deliveries running when PostgreSQL stops, so
	// some of them cannot record their outcome.
	sim.addFault(t, simulatorFault{System: "athena", Mode: "latency", LatencyMs: 100})

	ctx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	load := startAsyncLoad(ctx, client, samplePatient(t, "full-en.json", nil), 4, 0, 10*time.Millisecond)
	waitUntil(t, 30*time.Second, "sends accepted before the outage", func() bool { return load.acceptedCount() >= 20 })

	atStop := countsByGroup(t, settings.databaseURL, "SELECT status, count(*)::int FROM transactions GROUP BY status")
	stopBegan := time.Now()
	pg.stop(t)
	outage := outageWindow{start: time.Now()}
	t.Logf("PostgreSQL stopped in %s; transactions by status just before: %v",
		outage.start.Sub(stopBegan).Round(time.Millisecond), atStop)
	time.Sleep(postgresOutage)
	outage.end = time.Now()
	pg.start(t)
	t.Logf("PostgreSQL started in %s", time.Since(outage.end).Round(time.Millisecond))
	acceptedAtRecovery := load.acceptedCount()
	recovered := waitUntil(t, 60*time.Second, "sends accepted after PostgreSQL started again",
		func() bool { return load.acceptedCount() >= acceptedAtRecovery+20 })
	stopLoad()
	results := load.wait()
	t.Logf("PostgreSQL stopped for %s; 20 more sends accepted within %s after it started",
		outage.end.Sub(outage.start).Round(time.Millisecond), recovered.Round(time.Millisecond))

	requireOutageAnswers(t, results, outage)
	accepted := acceptedIDs(results)
	details := waitAllSucceeded(t, client, accepted, 90*time.Second)
	t.Logf("all %d accepted transactions succeeded", len(accepted))
	if !server.running() {
		t.Fatalf("ehrbridge exited during the drill: %v", server.waitErr)
	}
	requireEachEndpointStoredOnce(t, sim, accepted, details)
	t.Logf("drill took %s", time.Since(began).Round(time.Millisecond))
}

// outageWindow is when a dependency was down: from the end of the stop
// command to the start of the start command.
type outageWindow struct {
	start, end time.Time
}

// phaseOf names when a send ran: before, during or after the outage. A
// send that overlaps the outage counts as during.
func (w outageWindow) phaseOf(result sendResult) string {
	finished := result.started.Add(result.latency)
	switch {
	case finished.Before(w.start):
		return "before"
	case result.started.After(w.end):
		return "after"
	default:
		return "during"
	}
}

// requireOutageAnswers checks that every send got a response within the
// client timeout, that each status is 202 or 503, and that the outage
// produced 503s. It logs the statuses by phase.
func requireOutageAnswers(t *testing.T, results []sendResult, outage outageWindow) {
	t.Helper()
	type phaseCounts struct {
		byStatus   map[int]int
		errors     int
		maxLatency time.Duration
	}
	phases := map[string]*phaseCounts{}
	for _, name := range []string{"before", "during", "after"} {
		phases[name] = &phaseCounts{byStatus: map[int]int{}}
	}
	for _, result := range results {
		counts := phases[outage.phaseOf(result)]
		counts.maxLatency = max(counts.maxLatency, result.latency)
		if result.err != nil {
			counts.errors++
			t.Errorf("send started %s after the outage began got no answer within %s: %v",
				result.started.Sub(outage.start).Round(time.Millisecond), sendTimeout, result.err)
			continue
		}
		counts.byStatus[result.status]++
		if result.status != http.StatusAccepted && result.status != http.StatusServiceUnavailable {
			t.Errorf("send started %s after the outage began answered %d, want 202 or 503",
				result.started.Sub(outage.start).Round(time.Millisecond), result.status)
		}
	}
	for _, name := range []string{"before", "during", "after"} {
		counts := phases[name]
		t.Logf("%s the outage: answers by status %v, %d without an answer, slowest %s",
			name, counts.byStatus, counts.errors, counts.maxLatency.Round(time.Millisecond))
	}
	if phases["during"].byStatus[http.StatusServiceUnavailable] == 0 {
		t.Error("no send answered 503 while PostgreSQL was stopped")
	}
}
