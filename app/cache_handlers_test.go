package app_test

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"ehrbridge/app"
)

// tierHits reads one tier's hit count from GET /ehr/cache/stats.
func tierHits(t *testing.T, env *testEnv, tier string) float64 {
	t.Helper()
	stats := env.get(t, "/ehr/cache/stats")
	if stats.status != http.StatusOK {
		t.Fatalf("cache stats: %d %s", stats.status, stats.raw)
	}
	tierStats, ok := stats.json[tier].(map[string]any)
	if !ok {
		t.Fatalf("cache stats have no %s tier: %s", tier, stats.raw)
	}

	return tierStats["hits"].(float64)
}

func TestRepeatedMappingReadsHitLocalTier(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	// The first reads fill the tiers.
	env.get(t, "/ehr/mapping/Athena")
	env.get(t, "/ehr/mapping/Athena")
	localBefore, databaseBefore := tierHits(t, env, "local"), tierHits(t, env, "database")

	for range 5 {
		if r := env.get(t, "/ehr/mapping/Athena"); r.status != http.StatusOK {
			t.Fatalf("get mapping: %d", r.status)
		}
	}
	if got := tierHits(t, env, "local") - localBefore; got != 5 {
		t.Errorf("local tier served %v of 5 repeated reads, want 5", got)
	}
	if got := tierHits(t, env, "database") - databaseBefore; got != 0 {
		t.Errorf("database served %v repeated reads, want 0", got)
	}
}

func TestSaveIsSeenByEveryCopy(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	other, err := app.New(context.Background(), env.app.Config, slog.New(slog.NewTextHandler(env.logs, nil)))
	if err != nil {
		t.Fatalf("second app.New: %v", err)
	}
	t.Cleanup(other.Close)
	otherServer := httptest.NewServer(other.Router())
	t.Cleanup(otherServer.Close)
	other.Integrations.SetSelfURL(env.server.URL)
	otherEnv := &testEnv{app: other, server: otherServer, logs: env.logs}

	// Both copies hold version 1 in their in-process tier.
	for _, copy := range []*testEnv{env, otherEnv} {
		copy.get(t, "/ehr/mapping/Athena")
		copy.get(t, "/ehr/mapping/Athena")
	}
	if got := tierHits(t, otherEnv, "local"); got < 1 {
		t.Fatalf("second copy local hits %v, want the mapping in its local tier before the save", got)
	}

	if saved := env.postJSON(t, "/ehr/save-mapping", simpleMapping); saved.status != http.StatusCreated {
		t.Fatalf("save: %d %s", saved.status, saved.raw)
	}
	send := otherEnv.postJSON(t, "/ehr/send-patient-data", sample(t, "full-en.json"))
	if send.json["mappingVersion"] != float64(2) {
		t.Errorf("second copy sent with mapping version %v right after the save, want 2", send.json["mappingVersion"])
	}
}

func TestCacheInvalidateAndClear(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	env.get(t, "/ehr/mapping/Athena")
	env.get(t, "/ehr/mapping/Athena")

	r := env.postJSON(t, "/ehr/cache/invalidate/athena", "")
	if r.status != http.StatusOK || r.json["invalidated"] != "Athena" {
		t.Errorf("invalidate: %d %s", r.status, r.raw)
	}
	localBefore := tierHits(t, env, "local")
	env.get(t, "/ehr/mapping/Athena")
	if got := tierHits(t, env, "local") - localBefore; got != 0 {
		t.Errorf("local tier served a read right after the invalidation")
	}
	if r := env.postJSON(t, "/ehr/cache/invalidate/Nowhere", ""); r.status != http.StatusNotFound {
		t.Errorf("invalidate unknown EHR: %d, want 404", r.status)
	}
	if r := env.postJSON(t, "/ehr/cache/clear", ""); r.status != http.StatusOK {
		t.Errorf("clear: %d %s", r.status, r.raw)
	}

	audit := env.get(t, "/ehr/audit-log")
	actions := map[string]bool{}
	for _, entry := range audit.json["entries"].([]any) {
		actions[entry.(map[string]any)["action"].(string)] = true
	}
	if !actions["cache.invalidate"] || !actions["cache.clear"] {
		t.Errorf("audit actions %v, want cache.invalidate and cache.clear", actions)
	}
}

func TestRedisDownSendsStillWork(t *testing.T) {
	t.Parallel()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	address := closed.Addr().String()
	closed.Close()
	env := setup(t, map[string]string{"REDIS_URL": "redis://" + address + "/0"})

	r := env.postJSON(t, "/ehr/send-patient-data", sample(t, "full-en.json"))
	if r.status != http.StatusOK {
		t.Errorf("send with Redis down: %d %s", r.status, r.raw)
	}
	health := env.get(t, "/health")
	redisCheck, _ := health.json["checks"].(map[string]any)["redis"].(map[string]any)
	if health.status != http.StatusOK || health.json["status"] != "degraded" || redisCheck["error"] == "" {
		t.Errorf("health with Redis down: %d %s, want 200 degraded with a reason", health.status, health.raw)
	}
	if saved := env.postJSON(t, "/ehr/save-mapping", simpleMapping); saved.status != http.StatusCreated {
		t.Errorf("save with Redis down: %d %s", saved.status, saved.raw)
	}
	if after := env.postJSON(t, "/ehr/send-patient-data", sample(t, "full-en.json")); after.json["mappingVersion"] != float64(2) {
		t.Errorf("send after a save with Redis down used version %v, want 2", after.json["mappingVersion"])
	}
}
