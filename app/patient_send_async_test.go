package app_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"ehrbridge/app/store"
	"ehrbridge/ehr/sim"
)

func TestAsyncAcceptThenDeliver(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)
	env.startWorkers(t)

	r := env.sendAsync(t, sample(t, "full-en.json"))
	id, _ := r.json["transactionId"].(string)
	if r.json["status"] != "queued" || r.json["jobId"] == nil || r.json["statusUrl"] != "/ehr/transactions/"+id {
		t.Errorf("accept answer %s lacks status queued, jobId or statusUrl", r.raw)
	}

	detail := env.waitForStatus(t, id, "succeeded")
	if detail.json["mode"] != "async" {
		t.Errorf("mode %v, want async", detail.json["mode"])
	}
	patientID, _ := detail.json["ehrPatientId"].(string)
	record, ok := env.app.Simulator.Patient("athena", patientID)
	if !ok || len(record.Calls) != 5 {
		t.Errorf("simulator patient %q has %d calls, want 5", patientID, len(record.Calls))
	}
}

func TestAsyncRejectsBeforeStoring(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)

	for _, body := range []string{sample(t, "invalid-es.json"), sample(t, "unknown-field.json"), `[]`, `{"ehrName":"Nowhere","patientData":{}}`} {
		r := env.postJSON(t, "/ehr/send-patient-data-async", body)
		if r.status < 400 || r.status > 499 {
			t.Errorf("status %d, want 4xx: %s", r.status, r.raw)
		}
	}
	assertRowCount(t, env, "SELECT count(*) FROM transactions", 0)
	assertRowCount(t, env, "SELECT count(*) FROM river_job", 0)
}

func assertRowCount(t *testing.T, env *testEnv, query string, want int) {
	t.Helper()
	var got int
	if err := env.app.Store.Pool.QueryRow(context.Background(), query).Scan(&got); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	if got != want {
		t.Errorf("%s = %d, want %d", query, got, want)
	}
}

func TestEnqueueRollbackLeavesNothing(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)
	system, err := env.app.Store.FindSystem(context.Background(), "Athena")
	if err != nil {
		t.Fatalf("FindSystem: %v", err)
	}
	id := uuid.Must(uuid.NewV7())
	txn := &store.Transaction{
		ID: id, EHRSystemID: system.ID, EHRName: "Athena", Mode: "async", Status: "queued", MappingVersion: 1,
		Payload: []byte(`{}`), Endpoints: []store.TransactionEndpoint{{Endpoint: "patient_demographics", Status: "pending"}},
	}
	failAfterInsert := func(ctx context.Context, tx *sql.Tx, t *store.Transaction) (int64, error) {
		if _, err := env.app.EnqueueDelivery()(ctx, tx, t); err != nil {
			return 0, err
		}
		return 0, errors.New("failure after the job insert")
	}

	if err := env.app.Store.CreateTransaction(context.Background(), txn, failAfterInsert); err == nil {
		t.Fatalf("CreateTransaction succeeded, want the enqueue failure")
	}
	assertRowCount(t, env, "SELECT count(*) FROM transactions", 0)
	assertRowCount(t, env, "SELECT count(*) FROM transaction_endpoints", 0)
	assertRowCount(t, env, "SELECT count(*) FROM river_job", 0)
}

func TestAsyncRetryDeliversOnlyMissing(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)
	if _, err := env.app.Simulator.AddFault(sim.Fault{System: "athena", Match: "medicalhistory", Status: 503, Times: 2}); err != nil {
		t.Fatalf("AddFault: %v", err)
	}
	env.startWorkers(t)

	r := env.sendAsync(t, sample(t, "full-en.json"))
	detail := env.waitForStatus(t, r.json["transactionId"].(string), "succeeded")

	ledger := ledgerByEndpoint(detail)
	if got := ledger["medical_history"]["attempts"]; got != float64(3) {
		t.Errorf("medical_history attempts %v, want 3", got)
	}
	for _, name := range []string{"patient_demographics", "social_history", "family_history", "insurance_info"} {
		if got := ledger[name]["attempts"]; got != float64(1) {
			t.Errorf("%s attempts %v, want 1 (never resent)", name, got)
		}
	}
	if detail.json["attempts"] != float64(3) {
		t.Errorf("transaction attempts %v, want 3", detail.json["attempts"])
	}
	record, _ := env.app.Simulator.Patient("athena", detail.json["ehrPatientId"].(string))
	if len(record.Calls) != 5 {
		t.Errorf("simulator recorded %d calls, want each of 5 endpoints once", len(record.Calls))
	}
	if stats := env.app.Simulator.Stats(); stats.Replayed != 0 {
		t.Errorf("simulator replayed %d calls, want 0: a retry resent a delivered endpoint", stats.Replayed)
	}
}

func TestAsyncPermanentFailureStops(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)
	if _, err := env.app.Simulator.AddFault(sim.Fault{System: "athena", Match: "familyhistory", Status: 422}); err != nil {
		t.Fatalf("AddFault: %v", err)
	}
	env.startWorkers(t)

	r := env.sendAsync(t, sample(t, "full-en.json"))
	detail := env.waitForStatus(t, r.json["transactionId"].(string), "partially_failed")

	ledger := ledgerByEndpoint(detail)
	if ledger["family_history"]["status"] != "failed" || ledger["family_history"]["attempts"] != float64(1) {
		t.Errorf("family_history %v, want failed after 1 attempt", ledger["family_history"])
	}
	// River records the job's end after the worker returns, so poll.
	var jobs response
	for range 100 {
		jobs = env.get(t, "/ehr/queue/jobs?state=cancelled")
		if len(jobs.json["jobs"].([]any)) == 1 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := len(jobs.json["jobs"].([]any)); got != 1 {
		t.Errorf("%d cancelled jobs, want 1: %s", got, jobs.raw)
	}
}

func TestAsyncDeadThenManualRetry(t *testing.T) {
	t.Parallel()
	env := setup(t, withEnv(map[string]string{"QUEUE_RETRY_ATTEMPTS": "3"}))
	if _, err := env.app.Simulator.AddFault(sim.Fault{System: "athena", Match: "medicalhistory", Status: 503}); err != nil {
		t.Fatalf("AddFault: %v", err)
	}
	env.startWorkers(t)

	r := env.sendAsync(t, sample(t, "full-en.json"))
	id := r.json["transactionId"].(string)
	dead := env.waitForStatus(t, id, "dead")
	if dead.json["attempts"] != float64(3) {
		t.Errorf("attempts %v, want 3", dead.json["attempts"])
	}
	if lastError, _ := dead.json["lastError"].(string); lastError == "" {
		t.Errorf("dead transaction does not say why: %s", dead.raw)
	}

	env.app.Simulator.ClearFaults()
	retried := env.postJSON(t, "/ehr/retry-transaction/"+id, "")
	if retried.status != http.StatusAccepted {
		t.Fatalf("retry: %d %s", retried.status, retried.raw)
	}
	again := env.postJSON(t, "/ehr/retry-transaction/"+id, "")
	if again.status != http.StatusConflict && again.status != http.StatusAccepted {
		t.Errorf("second retry: %d %s", again.status, again.raw)
	}
	if again.status == http.StatusAccepted && again.json["jobId"] != retried.json["jobId"] {
		t.Errorf("second retry created job %v besides %v", again.json["jobId"], retried.json["jobId"])
	}

	done := env.waitForStatus(t, id, "succeeded")
	record, _ := env.app.Simulator.Patient("athena", done.json["ehrPatientId"].(string))
	if len(record.Calls) != 5 {
		t.Errorf("simulator recorded %d calls, want 5", len(record.Calls))
	}
	if r := env.postJSON(t, "/ehr/retry-transaction/"+id, ""); r.status != http.StatusConflict {
		t.Errorf("retry of a succeeded transaction: %d, want 409", r.status)
	}
	if r := env.postJSON(t, "/ehr/retry-transaction/"+uuid.NewString(), ""); r.status != http.StatusNotFound {
		t.Errorf("retry of an unknown transaction: %d, want 404", r.status)
	}
}

func TestAsyncUsesPinnedMappingVersion(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)

	r := env.sendAsync(t, sample(t, "full-en.json"))
	if saved := env.postJSON(t, "/ehr/save-mapping", simpleMapping); saved.status != http.StatusCreated {
		t.Fatalf("save mapping: %d %s", saved.status, saved.raw)
	}
	env.startWorkers(t)

	detail := env.waitForStatus(t, r.json["transactionId"].(string), "succeeded")
	if detail.json["mappingVersion"] != float64(1) {
		t.Errorf("mapping version %v, want 1 (pinned at acceptance)", detail.json["mappingVersion"])
	}
	if got := len(detail.json["endpoints"].([]any)); got != 5 {
		t.Errorf("%d endpoints delivered, want the 5 of version 1", got)
	}
}

func TestAsyncIdempotencyKey(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)
	headers := map[string]string{"Idempotency-Key": "async-1"}
	body := sample(t, "full-en.json")

	first := env.do(t, http.MethodPost, "/ehr/send-patient-data-async", "application/json", body, headers)
	second := env.do(t, http.MethodPost, "/ehr/send-patient-data-async", "application/json", body, headers)
	if first.status != http.StatusAccepted || second.status != http.StatusAccepted {
		t.Fatalf("statuses %d and %d, want 202 twice", first.status, second.status)
	}
	if first.json["transactionId"] != second.json["transactionId"] || first.json["jobId"] != second.json["jobId"] {
		t.Errorf("replay %s differs from %s", second.raw, first.raw)
	}
	assertRowCount(t, env, "SELECT count(*) FROM river_job", 1)

	sync := env.do(t, http.MethodPost, "/ehr/send-patient-data", "application/json", body, headers)
	if sync.status != http.StatusConflict {
		t.Errorf("same key on the sync path: %d, want 409", sync.status)
	}
}

func TestAsyncDatabaseDownIs503(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)
	env.cutDatabase(t)

	r := env.postJSON(t, "/ehr/send-patient-data-async", sample(t, "full-en.json"))
	if r.status != http.StatusServiceUnavailable || r.json["error"] != "database_unavailable" {
		t.Errorf("status %d %s, want 503 database_unavailable", r.status, r.raw)
	}
}

func TestQueueStatusAndJobs(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)
	for i := range 3 {
		env.sendAsync(t, minimalPatient("Athena", i))
	}

	status := env.get(t, "/ehr/queue/status")
	jobs, _ := status.json["jobs"].(map[string]any)
	if status.status != http.StatusOK || jobs["available"] != float64(3) || status.json["waiting"] != float64(3) {
		t.Errorf("queue status before workers: %s", status.raw)
	}

	page := env.get(t, "/ehr/queue/jobs?limit=2")
	if got := len(page.json["jobs"].([]any)); got != 2 {
		t.Errorf("first page has %d jobs, want 2", got)
	}
	cursor, _ := page.json["nextCursor"].(string)
	rest := env.get(t, "/ehr/queue/jobs?limit=2&cursor="+cursor)
	if got := len(rest.json["jobs"].([]any)); got != 1 {
		t.Errorf("second page has %d jobs, want 1: %s", got, rest.raw)
	}
	for _, query := range []string{"state=lost", "limit=0", "limit=99999", "limit=x", "cursor=garbage!"} {
		if r := env.get(t, "/ehr/queue/jobs?"+query); r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", query, r.status)
		}
	}

	env.startWorkers(t)
	for _, item := range page.json["jobs"].([]any) {
		env.waitForStatus(t, item.(map[string]any)["transactionId"].(string), "succeeded")
	}
	// River records a job's completion shortly after the worker returns.
	var done response
	for range 100 {
		if done = env.get(t, "/ehr/queue/status"); done.json["completedLastMinute"] == float64(3) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if done.json["completedLastMinute"] != float64(3) {
		t.Errorf("queue status after delivery: %s, want 3 completed in the last minute", done.raw)
	}
}

func TestQueueRetryJob(t *testing.T) {
	t.Parallel()
	env := setup(t, withEnv(map[string]string{"QUEUE_RETRY_ATTEMPTS": "1"}))
	if _, err := env.app.Simulator.AddFault(sim.Fault{System: "athena", Status: 503}); err != nil {
		t.Fatalf("AddFault: %v", err)
	}
	env.startWorkers(t)
	r := env.sendAsync(t, minimalPatient("Athena", 1))
	id := r.json["transactionId"].(string)
	env.waitForStatus(t, id, "dead")
	env.app.Simulator.ClearFaults()

	retried := env.postJSON(t, fmt.Sprintf("/ehr/queue/retry/%d", int64(r.json["jobId"].(float64))), "")
	if retried.status != http.StatusAccepted {
		t.Fatalf("queue retry: %d %s", retried.status, retried.raw)
	}
	env.waitForStatus(t, id, "succeeded")
	if r := env.postJSON(t, "/ehr/queue/retry/999999", ""); r.status != http.StatusNotFound {
		t.Errorf("unknown job: %d, want 404", r.status)
	}
}
