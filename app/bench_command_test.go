package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"ehrbridge/app"
	"ehrbridge/app/bench"
)

// runBenchCommand runs `ehrbridge bench` with args and returns its exit
// code and output. It clears EHRBRIDGE_API_KEY, which development mode
// would ignore anyway.
func runBenchCommand(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	t.Setenv(bench.APIKeyVariable, "")
	var stdout, stderr bytes.Buffer
	code := app.RunCLI(append([]string{"bench"}, args...), strings.NewReader(""), &stdout, &stderr)

	return code, stdout.String(), stderr.String()
}

// benchReport runs one scenario with --json and decodes its report.
func benchReport(t *testing.T, env *testEnv, scenario string, count, concurrency int) bench.Report {
	t.Helper()
	code, stdout, stderr := runBenchCommand(t, "--url", env.server.URL, "--scenario", scenario,
		"--count", strconv.Itoa(count), "--concurrency", strconv.Itoa(concurrency), "--timeout", "60s", "--json")
	if code != 0 {
		t.Fatalf("bench %s exited %d: %s%s", scenario, code, stdout, stderr)
	}
	var report bench.Report
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatalf("bench %s printed invalid JSON: %v\n%s", scenario, err, stdout)
	}

	return report
}

func checkAllSucceeded(t *testing.T, report bench.Report, count int) {
	t.Helper()
	if report.Requests != count {
		t.Errorf("%s: requests = %d, want %d", report.Scenario, report.Requests, count)
	}
	if report.Succeeded != count {
		t.Errorf("%s: succeeded = %d, want %d", report.Scenario, report.Succeeded, count)
	}
	if len(report.ErrorsByStatus) != 0 {
		t.Errorf("%s: errors by status = %v, want none", report.Scenario, report.ErrorsByStatus)
	}
	if report.TransportErrors != 0 {
		t.Errorf("%s: %d transport errors, first: %s", report.Scenario, report.TransportErrors, report.FirstTransportError)
	}
	if report.Interrupted {
		t.Errorf("%s: report says interrupted", report.Scenario)
	}
	if report.LatencyMs.P50 <= 0 || report.LatencyMs.Max < report.LatencyMs.P99 {
		t.Errorf("%s: latency figures %+v are not ordered", report.Scenario, report.LatencyMs)
	}
}

func TestBenchScenarios(t *testing.T) {
	env := setup(t, fastQueue)
	env.startWorkers(t)

	cases := []struct {
		scenario           string
		count, concurrency int
	}{
		{"mapping", 40, 4},
		{"sync", 12, 3},
		{"async", 20, 4},
	}
	for _, tc := range cases {
		t.Run(tc.scenario, func(t *testing.T) {
			report := benchReport(t, env, tc.scenario, tc.count, tc.concurrency)
			checkAllSucceeded(t, report, tc.count)
			if report.Delivery != nil {
				t.Errorf("%s report has delivery figures", tc.scenario)
			}
		})
	}

	t.Run("e2e", func(t *testing.T) {
		const count = 20
		report := benchReport(t, env, "e2e", count, 4)
		checkAllSucceeded(t, report, count)
		delivery := report.Delivery
		if delivery == nil {
			t.Fatal("e2e report has no delivery figures")
		}
		if delivery.Accepted != count {
			t.Errorf("accepted = %d, want %d", delivery.Accepted, count)
		}
		if delivery.ByStatus["succeeded"] != count {
			t.Errorf("final statuses = %v, want %d succeeded", delivery.ByStatus, count)
		}
		if delivery.Pending != 0 || delivery.TimedOut {
			t.Errorf("pending = %d, timed out = %v, want every send final", delivery.Pending, delivery.TimedOut)
		}
		if delivery.WindowMs <= 0 || delivery.DeliveriesPerSecond <= 0 {
			t.Errorf("window %v ms, %v deliveries/s, want both positive", delivery.WindowMs, delivery.DeliveriesPerSecond)
		}
	})
}

func requireKeys(t *testing.T, object map[string]any, where string, keys ...string) {
	t.Helper()
	for _, key := range keys {
		if _, ok := object[key]; !ok {
			t.Errorf("%s lacks %q: %v", where, key, object)
		}
	}
}

func TestBenchJSONFields(t *testing.T) {
	env := setup(t, fastQueue)
	env.startWorkers(t)

	code, stdout, stderr := runBenchCommand(t, "--url", env.server.URL, "--scenario", "e2e", "--count", "3",
		"--concurrency", "2", "--timeout", "60s", "--json")
	if code != 0 {
		t.Fatalf("bench exited %d: %s%s", code, stdout, stderr)
	}
	var report map[string]any
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatalf("output is not one JSON object: %v\n%s", err, stdout)
	}
	requireKeys(t, report, "report", "scenario", "url", "ehr", "concurrency", "durationMs", "requests", "succeeded",
		"requestsPerSecond", "latencyMs", "errorsByStatus", "transportErrors", "interrupted", "delivery")
	if report["scenario"] != "e2e" {
		t.Errorf("scenario = %v, want e2e", report["scenario"])
	}
	if report["requests"] != float64(3) {
		t.Errorf("requests = %v, want 3", report["requests"])
	}

	latency, ok := report["latencyMs"].(map[string]any)
	if !ok {
		t.Fatalf("latencyMs is not an object: %v", report["latencyMs"])
	}
	requireKeys(t, latency, "latencyMs", "p50", "p90", "p99", "max", "min", "mean")
	delivery, ok := report["delivery"].(map[string]any)
	if !ok {
		t.Fatalf("delivery is not an object: %v", report["delivery"])
	}
	requireKeys(t, delivery, "delivery", "accepted", "final", "pending", "byStatus", "windowMs",
		"deliveriesPerSecond", "timedOut")
	byStatus, ok := delivery["byStatus"].(map[string]any)
	if !ok {
		t.Fatalf("delivery.byStatus is not an object: %v", delivery["byStatus"])
	}
	requireKeys(t, byStatus, "delivery.byStatus", "succeeded", "partially_failed", "failed", "dead")
}

func TestBenchTextOutputHasNoPatientData(t *testing.T) {
	env := setup(t, nil)

	code, stdout, stderr := runBenchCommand(t, "--url", env.server.URL, "--scenario", "sync", "--count", "4", "--concurrency", "2")
	if code != 0 {
		t.Fatalf("bench exited %d: %s%s", code, stdout, stderr)
	}
	for _, line := range []string{"scenario:", "requests:", "requests/s:", "latency (ms):", "errors by status:", "transport errors:"} {
		if !strings.Contains(stdout, line) {
			t.Errorf("output lacks %q:\n%s", line, stdout)
		}
	}
	for _, patientValue := range []string{"Elena", "Vasquez", "elena.vm@example.org", "555 0142", "KP-88412093"} {
		if strings.Contains(stdout+stderr, patientValue) {
			t.Errorf("output contains the patient value %q:\n%s%s", patientValue, stdout, stderr)
		}
	}
}

func TestBenchRejectsInvalidURL(t *testing.T) {
	code, stdout, stderr := runBenchCommand(t, "--url", "file:///etc/hosts", "--scenario", "mapping", "--count", "1")
	if code == 0 {
		t.Fatalf("bench accepted a file URL: %s", stdout)
	}
	if !strings.Contains(stderr, "http or https") {
		t.Errorf("error output does not name the accepted schemes: %s", stderr)
	}
}

// TestBenchInterruptKeepsFigures cancels a run that has no end of its own
// once the server has stored three sends, as Ctrl-C does.
func TestBenchInterruptKeepsFigures(t *testing.T) {
	env := setup(t, nil)
	opts, err := bench.ParseOptions([]string{"--url", env.server.URL, "--scenario", "sync", "--duration", "1h", "--concurrency", "2"},
		func(string) (string, bool) { return "", false }, io.Discard)
	if err != nil {
		t.Fatalf("ParseOptions: %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type outcome struct {
		report bench.Report
		err    error
	}
	done := make(chan outcome, 1)
	go func() {
		report, err := bench.Run(ctx, opts, io.Discard)
		done <- outcome{report, err}
	}()
	waitForTransactions(t, env, 3)
	cancel()
	result := <-done

	if result.err != nil {
		t.Fatalf("Run: %v", result.err)
	}
	if !result.report.Interrupted {
		t.Error("report is not marked interrupted")
	}
	// Three stored sends from two workers mean one worker had started its
	// second request, so its first response was counted.
	if result.report.Requests < 1 {
		t.Errorf("requests = %d, want at least 1", result.report.Requests)
	}
	if result.report.TransportErrors != 0 {
		t.Errorf("requests cut short by the interrupt counted as %d transport errors: %s",
			result.report.TransportErrors, result.report.FirstTransportError)
	}
}

// waitForTransactions polls the transaction list until it holds at least n.
func waitForTransactions(t *testing.T, env *testEnv, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		list := env.get(t, "/ehr/transactions?limit="+strconv.Itoa(n))
		if items, ok := list.json["transactions"].([]any); ok && len(items) >= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the server did not store %d transactions", n)
}

func TestBenchFailsWhenNothingSucceeds(t *testing.T) {
	env := setup(t, nil)

	code, stdout, stderr := runBenchCommand(t, "--url", env.server.URL, "--scenario", "mapping",
		"--ehr", "NoSuchEHR", "--count", "20", "--concurrency", "2")
	if code == 0 {
		t.Fatalf("bench against an unknown EHR exited 0: %s", stdout)
	}
	if !strings.Contains(stderr, "no request succeeded") || !strings.Contains(stdout, "404") {
		t.Errorf("output does not explain the failure:\n%s\n%s", stdout, stderr)
	}
}
