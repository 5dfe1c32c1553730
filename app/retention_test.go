package app_test

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river/rivertype"

	"ehrbridge/app/store"
)

// storedRow is what a transaction keeps after a purge, read with SQL.
type storedRow struct {
	Status          string
	EHRPatientID    string
	HasPayload      bool
	HasResponse     bool
	PayloadPurgedAt *time.Time
	LedgerRows      int
}

func readStoredRow(t *testing.T, env *testEnv, id string) storedRow {
	t.Helper()
	var row storedRow
	err := env.app.Store.SQL.QueryRow(`SELECT status, ehr_patient_id, payload IS NOT NULL, response IS NOT NULL, payload_purged_at,
		(SELECT count(*) FROM transaction_endpoints e WHERE e.transaction_id = t.id)
		FROM transactions t WHERE id = $1`, id).
		Scan(&row.Status, &row.EHRPatientID, &row.HasPayload, &row.HasResponse, &row.PayloadPurgedAt, &row.LedgerRows)
	if err != nil {
		t.Fatalf("reading transaction %s: %v", id, err)
	}

	return row
}

// ageTransaction sets a transaction's status and moves its creation back.
func ageTransaction(t *testing.T, env *testEnv, id, status string, age time.Duration) {
	t.Helper()
	err := env.app.Store.DB.Exec("UPDATE transactions SET status = ?, created_at = ? WHERE id = ?", status, time.Now().Add(-age), id).Error
	if err != nil {
		t.Fatalf("ageing transaction %s: %v", id, err)
	}
}

// addExpiredSession stores a session of user that ended an hour ago and
// returns its token hash.
func addExpiredSession(t *testing.T, env *testEnv, userID int64) []byte {
	t.Helper()
	hash := make([]byte, 32)
	if _, err := rand.Read(hash); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	session := store.Session{TokenHash: hash, UserID: userID, CreatedAt: now.Add(-3 * time.Hour),
		LastSeenAt: now.Add(-2 * time.Hour), ExpiresAt: now.Add(-time.Hour)}
	if err := env.app.Store.CreateSession(context.Background(), &session); err != nil {
		t.Fatalf("CreateSession: %v", err)
	}

	return hash
}

// waitForSessionGone polls until the session with hash is deleted, which
// the retention job does after its payload purge.
func waitForSessionGone(t *testing.T, env *testEnv, hash []byte) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var count int
		if err := env.app.Store.SQL.QueryRow("SELECT count(*) FROM sessions WHERE token_hash = $1", hash).Scan(&count); err != nil {
			t.Fatalf("counting sessions: %v", err)
		}
		if count == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the retention job did not delete the expired session")
}

func TestRetentionJobPurgesOldFinalPayloads(t *testing.T) {
	t.Parallel()
	env := setupProductionWithEHR(t, withEnv(map[string]string{"PAYLOAD_RETENTION": "24h"}))
	sender, reader, admin := env.createAPIKey(t, "send"), env.createAPIKey(t, "read"), env.createAPIKey(t, "admin")
	ids := map[string]string{}
	for _, name := range []string{"old succeeded", "old failed", "old dead", "old queued", "old processing", "recent failed"} {
		ids[name] = sendSealedSample(t, env, sender)
	}
	for name, status := range map[string]string{"old succeeded": "succeeded", "old failed": "failed", "old dead": "dead",
		"old queued": "queued", "old processing": "processing"} {
		ageTransaction(t, env, ids[name], status, 48*time.Hour)
	}
	ageTransaction(t, env, ids["recent failed"], "failed", time.Hour)
	before := map[string]storedRow{}
	for name, id := range ids {
		before[name] = readStoredRow(t, env, id)
	}
	operator := env.signIn(t, "operator1", "operator")
	operatorUser, err := env.app.Store.FindUserByName(context.Background(), "operator1")
	if err != nil {
		t.Fatalf("FindUserByName: %v", err)
	}
	expired := addExpiredSession(t, env, operatorUser.ID)

	env.startWorkers(t)
	waitForSessionGone(t, env, expired)

	for _, name := range []string{"old succeeded", "old failed", "old dead"} {
		row := readStoredRow(t, env, ids[name])
		if row.HasPayload || row.HasResponse || row.PayloadPurgedAt == nil {
			t.Errorf("%s transaction: payload kept %v, response kept %v, purged at %v; want both purged", name, row.HasPayload, row.HasResponse, row.PayloadPurgedAt)
		}
		if row.Status != before[name].Status || row.EHRPatientID != before[name].EHRPatientID || row.LedgerRows != before[name].LedgerRows {
			t.Errorf("%s transaction lost metadata: %+v, before %+v", name, row, before[name])
		}
	}
	for _, name := range []string{"old queued", "old processing", "recent failed"} {
		if row := readStoredRow(t, env, ids[name]); !row.HasPayload || row.PayloadPurgedAt != nil {
			t.Errorf("%s transaction lost its payload: %+v", name, row)
		}
	}
	if page := env.doWith(t, operator, http.MethodGet, "/transactions", "", "", nil); page.status != http.StatusOK {
		t.Errorf("the operator's live session stopped working: status %d", page.status)
	}

	purged := ids["old failed"]
	detail := env.do(t, http.MethodGet, "/ehr/transactions/"+purged, "", "", bearer(reader))
	if detail.status != http.StatusOK || detail.json["payloadPurged"] != true || detail.json["payloadMasked"] != nil {
		t.Errorf("detail of a purged transaction: status %d, payloadPurged %v, payloadMasked %v",
			detail.status, detail.json["payloadPurged"], detail.json["payloadMasked"])
	}
	reveal := env.do(t, http.MethodPost, "/ehr/transactions/"+purged+"/reveal", "", "", bearer(admin))
	if reveal.status != http.StatusGone || reveal.json["error"] != "payload_purged" {
		t.Errorf("reveal of a purged payload: status %d %s, want 410 payload_purged", reveal.status, reveal.raw)
	}

	retry := env.do(t, http.MethodPost, "/ehr/retry-transaction/"+purged, "", "", bearer(sender))
	if retry.status != http.StatusConflict || retry.json["error"] != "payload_purged" {
		t.Errorf("API retry of a purged transaction: status %d %s, want 409 payload_purged", retry.status, retry.raw)
	}
	if message, _ := retry.json["message"].(string); !strings.Contains(message, purged) {
		t.Errorf("retry message %q does not name the transaction", message)
	}

	page := env.doWith(t, operator, http.MethodGet, "/transactions/"+purged, "", "", nil)
	if !strings.Contains(page.raw, `id="payload-purged"`) || strings.Contains(page.raw, `id="retry-transaction"`) || strings.Contains(page.raw, `id="reveal-payload"`) {
		t.Error("detail page of a purged transaction lacks the purge note or still offers Retry or the reveal button")
	}
	tokenPage := "/transactions/" + ids["recent failed"]
	uiRetry := env.postFormAs(t, operator, tokenPage, "/transactions/"+purged+"/retry", url.Values{})
	if uiRetry.status != http.StatusConflict || !strings.Contains(uiRetry.raw, "was deleted after the retention period") {
		t.Errorf("page retry of a purged transaction: status %d, want 409 with the reason", uiRetry.status)
	}
	uiReveal := env.postFormAs(t, operator, tokenPage, "/transactions/"+purged+"/reveal", url.Values{})
	if uiReveal.status != http.StatusGone || !strings.Contains(uiReveal.raw, `id="payload-purged"`) {
		t.Errorf("page reveal of a purged payload: status %d, want 410 with the purge note", uiReveal.status)
	}
	if got := revealAuditCount(t, env, purged, ""); got != 0 {
		t.Errorf("%d reveal entries for a purged payload, want 0", got)
	}
	if rows := readStoredRow(t, env, purged); rows.Status != "failed" {
		t.Errorf("rejected retries changed the status to %q", rows.Status)
	}
}

func TestDeliveryOfPurgedPayloadIsCancelled(t *testing.T) {
	t.Parallel()
	env := setupProductionWithEHR(t, withEnv(map[string]string{"PAYLOAD_RETENTION": "24h"}))
	sender := env.createAPIKey(t, "send")
	id := sendSealedSample(t, env, sender)
	ageTransaction(t, env, id, "dead", 48*time.Hour)
	operator := env.createUser(t, "operator1", "operator")
	expired := addExpiredSession(t, env, operator.ID)
	env.startWorkers(t)
	waitForSessionGone(t, env, expired)
	if row := readStoredRow(t, env, id); row.HasPayload {
		t.Fatalf("transaction %s kept its payload", id)
	}

	// A job retried outside the retry endpoints, as River UI can, still
	// reaches the worker.
	ctx := context.Background()
	tx, err := env.app.Store.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	jobID, err := env.app.EnqueueDelivery()(ctx, tx, &store.Transaction{ID: uuid.MustParse(id), Attempts: 100})
	if err != nil {
		t.Fatalf("enqueueing a delivery: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	deadline := time.Now().Add(20 * time.Second)
	var job *rivertype.JobRow
	for time.Now().Before(deadline) {
		if job, err = env.app.Queue.JobGet(ctx, jobID); err == nil && job.State == rivertype.JobStateCancelled {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if job == nil || job.State != rivertype.JobStateCancelled {
		t.Fatalf("job %d of a purged transaction is %v, want cancelled", jobID, job)
	}
	txn, err := env.app.Store.FindTransaction(ctx, uuid.MustParse(id))
	if err != nil {
		t.Fatalf("FindTransaction: %v", err)
	}
	if txn.Status != "dead" || !strings.Contains(txn.LastError, "deleted after the retention period") {
		t.Errorf("transaction after the cancelled job: status %q, last error %q; want dead with the purge reason", txn.Status, txn.LastError)
	}
}

func TestRetentionZeroKeepsPayloads(t *testing.T) {
	t.Parallel()
	env := setupProductionWithEHR(t, withEnv(map[string]string{"PAYLOAD_RETENTION": "0"}))
	sender := env.createAPIKey(t, "send")
	id := sendSealedSample(t, env, sender)
	ageTransaction(t, env, id, "succeeded", 10*365*24*time.Hour)
	operator := env.createUser(t, "operator1", "operator")
	expired := addExpiredSession(t, env, operator.ID)

	env.startWorkers(t)
	waitForSessionGone(t, env, expired)

	if row := readStoredRow(t, env, id); !row.HasPayload || !row.HasResponse || row.PayloadPurgedAt != nil {
		t.Errorf("with PAYLOAD_RETENTION=0 the transaction lost data: %+v", row)
	}
	if !strings.Contains(env.logs.String(), "payloads_purged=0") {
		t.Error("the retention pass logged no count")
	}
}
