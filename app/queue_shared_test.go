package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"ehrbridge/app"
	"ehrbridge/ehr/sim"
)

// secondCopy starts another ehrbridge on env's database, as a second
// process behind a load balancer would be. Its EHR calls go to env's
// simulator.
func (env *testEnv) secondCopy(t *testing.T) *app.App {
	t.Helper()
	other, err := app.New(context.Background(), env.app.Config, slog.New(slog.NewTextHandler(env.logs, nil)))
	if err != nil {
		t.Fatalf("second app.New: %v", err)
	}
	other.Integrations.SetSelfURL(env.server.URL)
	t.Cleanup(other.Close)

	return other
}

// bulkOfFullPatients builds a bulk request of n copies of the full sample
// patient, each with its own e-mail address.
func bulkOfFullPatients(t *testing.T, n int) string {
	t.Helper()
	var request struct {
		PatientData map[string]any `json:"patientData"`
	}
	if err := json.Unmarshal([]byte(sample(t, "full-en.json")), &request); err != nil {
		t.Fatalf("decoding sample: %v", err)
	}
	patients := make([]map[string]any, n)
	for i := range patients {
		patient := map[string]any{}
		for key, value := range request.PatientData {
			patient[key] = value
		}
		patient["contact"] = map[string]any{"email": strings.Repeat("p", i%7+1) + "@example.org", "phone": "555-010-4000"}
		patients[i] = patient
	}
	body, _ := json.Marshal(map[string]any{"ehrName": "Athena", "patients": patients})

	return string(body)
}

func TestTwoCopiesDeliverEachSendOnce(t *testing.T) {
	t.Parallel()
	env := setup(t, withEnv(map[string]string{"LOG_LEVEL": "info", "QUEUE_CONCURRENCY": "20", "MAX_BULK_REQUEST_BYTES": "10485760"}))
	other := env.secondCopy(t)

	const sends = 500
	r := env.postJSON(t, "/ehr/send-patient-data/bulk", bulkOfFullPatients(t, sends))
	if r.status != http.StatusAccepted || r.json["accepted"] != float64(sends) {
		t.Fatalf("bulk: %d, accepted %v: %.300s", r.status, r.json["accepted"], r.raw)
	}

	env.startWorkers(t)
	if err := other.StartWorkers(context.Background()); err != nil {
		t.Fatalf("second StartWorkers: %v", err)
	}
	t.Cleanup(func() { _ = other.StopWorkers(context.Background()) })

	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		done := env.get(t, "/ehr/transactions?status=succeeded&limit=500")
		if len(done.json["transactions"].([]any)) == sends {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	assertRowCount(t, env, "SELECT count(*) FROM transactions WHERE status = 'succeeded'", sends)
	assertRowCount(t, env, "SELECT count(*) FROM transaction_endpoints WHERE attempts <> 1", 0)

	stats := env.app.Simulator.Stats()
	if stats.Received != sends*5 {
		t.Errorf("simulator received %d calls, want %d (5 endpoints of %d sends, once each)", stats.Received, sends*5, sends)
	}
	if stats.Replayed != 0 {
		t.Errorf("simulator replayed %d repeated calls, want 0", stats.Replayed)
	}
	var workedBySecond int
	err := env.app.Store.Pool.QueryRow(context.Background(),
		"SELECT count(DISTINCT attempted_by[1]) FROM river_job").Scan(&workedBySecond)
	if err != nil {
		t.Fatalf("counting workers: %v", err)
	}
	if workedBySecond != 2 {
		t.Errorf("jobs were worked by %d clients, want both", workedBySecond)
	}
}

func TestStoppedWorkerResumesWithoutResending(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)
	// The medical history call hangs long enough to stop the worker in it.
	if _, err := env.app.Simulator.AddFault(sim.Fault{System: "athena", Match: "medicalhistory", Mode: sim.ModeLatency, LatencyMs: 1500, Times: 1}); err != nil {
		t.Fatalf("AddFault: %v", err)
	}
	r := env.sendAsync(t, sample(t, "full-en.json"))
	id := r.json["transactionId"].(string)
	if err := env.app.StartWorkers(context.Background()); err != nil {
		t.Fatalf("StartWorkers: %v", err)
	}

	// Wait for the identity endpoint, then stop the worker mid-delivery.
	for range 100 {
		if ledgerByEndpoint(env.get(t, "/ehr/transactions/"+id))["patient_demographics"]["status"] == "succeeded" {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_ = env.app.StopWorkers(ctx)

	other := env.secondCopy(t)
	if err := other.StartWorkers(context.Background()); err != nil {
		t.Fatalf("second StartWorkers: %v", err)
	}
	t.Cleanup(func() { _ = other.StopWorkers(context.Background()) })

	detail := env.waitForStatus(t, id, "succeeded")
	record, _ := env.app.Simulator.Patient("athena", detail.json["ehrPatientId"].(string))
	if len(record.Calls) != 5 {
		t.Errorf("simulator recorded %d calls, want each of 5 endpoints once", len(record.Calls))
	}
	if got := ledgerByEndpoint(detail)["patient_demographics"]["attempts"]; got != float64(1) {
		t.Errorf("identity endpoint attempts %v, want 1", got)
	}
}

func TestJobOfCrashedProcessIsRescued(t *testing.T) {
	t.Parallel()
	env := setup(t, withEnv(map[string]string{"QUEUE_RESCUE_AFTER": "1s", "QUEUE_JOB_TIMEOUT": "1s"}))
	r := env.sendAsync(t, sample(t, "full-en.json"))
	id := r.json["transactionId"].(string)

	// A process took the job and died without a trace of its end.
	_, err := env.app.Store.Pool.Exec(context.Background(), `UPDATE river_job
		SET state = 'running', attempt = 1, attempted_at = now() - interval '1 minute', attempted_by = ARRAY['crashed']
		WHERE id = $1`, int64(r.json["jobId"].(float64)))
	if err != nil {
		t.Fatalf("marking the job as taken by a crashed process: %v", err)
	}

	env.startWorkers(t)
	detail := env.waitForStatus(t, id, "succeeded")
	record, _ := env.app.Simulator.Patient("athena", detail.json["ehrPatientId"].(string))
	if len(record.Calls) != 5 {
		t.Errorf("simulator recorded %d calls, want 5", len(record.Calls))
	}
}

func TestDiscardedJobOfCrashedProcessCanBeRetried(t *testing.T) {
	t.Parallel()
	env := setup(t, withEnv(map[string]string{"QUEUE_RESCUE_AFTER": "1s", "QUEUE_JOB_TIMEOUT": "1s"}))
	r := env.sendAsync(t, sample(t, "full-en.json"))
	id, jobID := r.json["transactionId"].(string), int64(r.json["jobId"].(float64))

	// The process died in the job's last allowed attempt.
	_, err := env.app.Store.Pool.Exec(context.Background(), `UPDATE river_job
		SET state = 'running', attempt = 1, max_attempts = 1, attempted_at = now() - interval '1 minute',
		    attempted_by = ARRAY['crashed']
		WHERE id = $1`, jobID)
	if err != nil {
		t.Fatalf("marking the job as taken by a crashed process: %v", err)
	}
	env.startWorkers(t)

	var job map[string]any
	for range 100 {
		jobs := env.get(t, "/ehr/queue/jobs?state=discarded")
		if list := jobs.json["jobs"].([]any); len(list) == 1 {
			job = list[0].(map[string]any)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if job == nil {
		t.Fatalf("the rescuer did not discard the job")
	}
	if r := env.postJSON(t, "/ehr/retry-transaction/"+id, ""); r.status != http.StatusConflict {
		t.Errorf("transaction retry of a queued transaction: %d, want 409", r.status)
	}

	retried := env.postJSON(t, fmt.Sprintf("/ehr/queue/retry/%d", jobID), "")
	if retried.status != http.StatusAccepted {
		t.Fatalf("job retry: %d %s", retried.status, retried.raw)
	}
	env.waitForStatus(t, id, "succeeded")
}
