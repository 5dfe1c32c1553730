package app_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// metricLine finds one sample line of the Prometheus text format.
func metricLine(t *testing.T, body, name, labels string) string {
	t.Helper()
	series := name
	if labels != "" {
		series += "{" + labels + "}"
	}
	pattern := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`)
	match := pattern.FindStringSubmatch(body)
	if match == nil {
		t.Errorf("metrics lack %s{%s}", name, labels)
		return ""
	}

	return match[1]
}

func TestMetricsAfterSends(t *testing.T) {
	env := setup(t, fastQueue)
	env.startWorkers(t)
	if r := env.postJSON(t, "/ehr/send-patient-data", sample(t, "full-en.json")); r.status != http.StatusOK {
		t.Fatalf("sync send: %d %s", r.status, r.raw)
	}
	accepted := env.sendAsync(t, sample(t, "full-en.json"))
	env.waitForStatus(t, accepted.json["transactionId"].(string), "succeeded")

	scrape := waitForMetric(t, env, `ehrbridge_queue_jobs_finished_total{kind="deliver_transaction",result="completed"}`)
	if scrape.status != http.StatusOK || !strings.HasPrefix(scrape.header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: %d %q", scrape.status, scrape.header.Get("Content-Type"))
	}
	body := scrape.raw

	if got := metricLine(t, body, "ehrbridge_endpoint_sends_total", `ehr="Athena",endpoint="patient_demographics",outcome="succeeded"`); got != "2" {
		t.Errorf("demographics deliveries %q, want 2", got)
	}
	if got := metricLine(t, body, "ehrbridge_http_requests_total", `method="POST",route="/ehr/send-patient-data",status="200"`); got != "1" {
		t.Errorf("sync send requests %q, want 1", got)
	}
	if got := metricLine(t, body, "ehrbridge_transactions", `status="succeeded"`); got != "2" {
		t.Errorf("succeeded transactions %q, want 2", got)
	}
	if got := metricLine(t, body, "ehrbridge_transactions", `status="dead"`); got != "0" {
		t.Errorf("dead transactions %q, want 0", got)
	}
	if got := metricLine(t, body, "ehrbridge_queue_jobs_finished_total", `kind="deliver_transaction",result="completed"`); got != "1" {
		t.Errorf("completed delivery jobs %q, want 1", got)
	}
	if got := metricLine(t, body, "ehrbridge_queue_jobs", `kind="deliver_transaction",state="completed"`); got != "1" {
		t.Errorf("completed delivery jobs in the table %q, want 1", got)
	}
	metricLine(t, body, "ehrbridge_mapping_cache_lookups_total", `result="hit",tier="local"`)
	metricLine(t, body, "ehrbridge_redis_up", "")
	for _, name := range []string{"ehrbridge_ehr_call_duration_seconds_bucket", "ehrbridge_queue_job_wait_seconds_bucket", "ehrbridge_http_request_duration_seconds_bucket", "go_goroutines", "process_resident_memory_bytes"} {
		if !strings.Contains(body, name) {
			t.Errorf("metrics lack %s", name)
		}
	}
}

func TestMetricsLabelUnmatchedRoutes(t *testing.T) {
	env := setup(t, nil)
	for _, path := range []string{"/ehr/nope-1", "/ehr/nope-2", "/x/y/z"} {
		env.get(t, path)
	}

	body := env.get(t, "/metrics").raw
	if strings.Contains(body, "nope-1") || strings.Contains(body, "/x/y/z") {
		t.Errorf("an unmatched path became a label")
	}
	if !strings.Contains(body, `route="unmatched"`) {
		t.Errorf("unmatched requests not counted under route=\"unmatched\"")
	}
}

func TestLogLinesCarryRequestID(t *testing.T) {
	env := setup(t, nil)
	r := env.postJSON(t, "/ehr/send-patient-data", sample(t, "full-en.json"))
	requestID := r.header.Get("X-Request-Id")
	if requestID == "" {
		t.Fatal("answer without X-Request-Id")
	}

	for _, message := range []string{`msg="sync send finished"`, `msg=request `} {
		found := false
		for _, line := range strings.Split(env.logs.String(), "\n") {
			if strings.Contains(line, message) && strings.Contains(line, "request_id="+requestID) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s line carries request_id=%s", message, requestID)
		}
	}
}

func TestMetricsNeedReadScopeInProduction(t *testing.T) {
	env := setupProduction(t, nil)
	if r := env.get(t, "/metrics"); r.status != http.StatusUnauthorized {
		t.Errorf("anonymous scrape: %d, want 401", r.status)
	}
	if r := env.do(t, http.MethodGet, "/metrics", "", "", bearer(env.createAPIKey(t, "read"))); r.status != http.StatusOK {
		t.Errorf("scrape with a read key: %d, want 200", r.status)
	}
}

// waitForMetric scrapes until series appears: a job's finish is recorded
// just after its transaction is updated.
func waitForMetric(t *testing.T, env *testEnv, series string) response {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		scrape := env.get(t, "/metrics")
		if strings.Contains(scrape.raw, series) || time.Now().After(deadline) {
			return scrape
		}
		time.Sleep(50 * time.Millisecond)
	}
}
