package store_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"ehrbridge/app/seal"
	"ehrbridge/app/store"
)

// canaryPayload is a synthetic request whose values tests look for in
// stored bytes.
const canaryPayload = `{"patientData":{"firstName":"Zzcanaryfirst","lastName":"Zzcanarylast"}}`

// testKey returns a new random key written "id:base64".
func testKey(t testing.TB, id string) string {
	t.Helper()
	key := make([]byte, seal.KeySize)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}

	return id + ":" + base64.StdEncoding.EncodeToString(key)
}

// testKeyring parses a keyring or fails the test.
func testKeyring(t testing.TB, current string, previous ...string) *seal.Keyring {
	t.Helper()
	keyring, err := seal.ParseKeyring(current, strings.Join(previous, ","))
	if err != nil {
		t.Fatalf("ParseKeyring: %v", err)
	}

	return keyring
}

// newSealedTransaction returns an unsaved transaction of system with
// canaryPayload and a ledger row.
func newSealedTransaction(t testing.TB, system store.System, status string) *store.Transaction {
	t.Helper()
	id, err := store.NewTransactionID()
	if err != nil {
		t.Fatalf("NewTransactionID: %v", err)
	}

	return &store.Transaction{
		ID: id, EHRSystemID: system.ID, EHRName: system.Name, Mode: "sync", Status: status,
		MappingVersion: 1, RequestHash: []byte{1}, Language: "en", Payload: []byte(canaryPayload),
		Endpoints: []store.TransactionEndpoint{{Endpoint: "patient", Position: 1, IdentifiesPatient: true, Status: "pending"}},
	}
}

// rawColumns reads a transaction's payload and response as stored.
func rawColumns(t testing.TB, st *store.Store, id uuid.UUID) (payload, response []byte) {
	t.Helper()
	row := st.SQL.QueryRow("SELECT payload, response FROM transactions WHERE id = $1", id)
	if err := row.Scan(&payload, &response); err != nil {
		t.Fatalf("reading stored columns of %s: %v", id, err)
	}

	return payload, response
}

// requireSealedWith fails unless stored is sealed with keyID and holds no
// canary value.
func requireSealedWith(t testing.TB, label string, stored []byte, keyID string) {
	t.Helper()
	if bytes.Contains(stored, []byte("Zzcanary")) {
		t.Errorf("%s is stored in plaintext", label)
	}
	if got, sealed := seal.KeyID(stored); !sealed || got != keyID {
		t.Errorf("%s sealed with key %q (sealed %v), want %q", label, got, sealed, keyID)
	}
}

func TestCreateTransactionSealsPayload(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openMigrated(t)
	st.Keyring = testKeyring(t, testKey(t, "keya"))
	system := createSystem(t, st, "SealClinic")

	txn := newSealedTransaction(t, system, "processing")
	if err := st.CreateTransaction(ctx, txn, nil); err != nil {
		t.Fatalf("CreateTransaction: %v", err)
	}
	if string(txn.Payload) != canaryPayload {
		t.Errorf("caller's payload after create is %q, want the plaintext", txn.Payload)
	}
	payload, response := rawColumns(t, st, txn.ID)
	requireSealedWith(t, "payload", payload, "keya")
	if response != nil {
		t.Errorf("response stored as %d bytes before any attempt, want NULL", len(response))
	}

	found, err := st.FindTransaction(ctx, txn.ID)
	if err != nil {
		t.Fatalf("FindTransaction: %v", err)
	}
	if string(found.Payload) != canaryPayload {
		t.Errorf("FindTransaction payload %q, want the plaintext", found.Payload)
	}
	if len(found.Endpoints) != 1 {
		t.Errorf("FindTransaction returned %d ledger rows, want 1", len(found.Endpoints))
	}
}

func TestCreateTransactionsSealsEveryPayload(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openMigrated(t)
	st.Keyring = testKeyring(t, testKey(t, "keya"))
	system := createSystem(t, st, "BulkSealClinic")

	key := "bulk-seal-1"
	txns := []*store.Transaction{newSealedTransaction(t, system, "queued"), newSealedTransaction(t, system, "queued")}
	for i, txn := range txns {
		k := key + "/" + string(rune('a'+i))
		txn.IdempotencyKey = &k
	}
	enqueue := func(_ context.Context, _ *sql.Tx, ids []uuid.UUID) ([]int64, error) {
		jobIDs := make([]int64, len(ids))
		for i := range ids {
			jobIDs[i] = int64(100 + i)
		}
		return jobIDs, nil
	}
	if err := st.CreateTransactions(ctx, txns, enqueue); err != nil {
		t.Fatalf("CreateTransactions: %v", err)
	}

	for _, txn := range txns {
		if string(txn.Payload) != canaryPayload {
			t.Errorf("caller's payload of %s after create is %q, want the plaintext", txn.ID, txn.Payload)
		}
		payload, _ := rawColumns(t, st, txn.ID)
		requireSealedWith(t, "payload of "+txn.ID.String(), payload, "keya")
	}

	found, err := st.FindTransactionsByIdempotencyPrefix(ctx, key+"/")
	if err != nil {
		t.Fatalf("FindTransactionsByIdempotencyPrefix: %v", err)
	}
	if len(found) != 2 {
		t.Fatalf("found %d transactions by prefix, want 2", len(found))
	}
	for _, txn := range found {
		if string(txn.Payload) != canaryPayload {
			t.Errorf("payload of %s found by prefix is %q, want the plaintext", txn.ID, txn.Payload)
		}
	}

	byJob, err := st.FindTransactionByJob(ctx, 101)
	if err != nil {
		t.Fatalf("FindTransactionByJob: %v", err)
	}
	if byJob.ID != txns[1].ID || string(byJob.Payload) != canaryPayload {
		t.Errorf("FindTransactionByJob(101) = %s with payload %q, want %s with the plaintext", byJob.ID, byJob.Payload, txns[1].ID)
	}
}

func TestEndAttemptSealsResponse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openMigrated(t)
	st.Keyring = testKeyring(t, testKey(t, "keya"))
	system := createSystem(t, st, "ResponseClinic")
	txn := newSealedTransaction(t, system, "processing")
	key := "response-seal"
	txn.IdempotencyKey = &key
	if err := st.CreateTransaction(ctx, txn, nil); err != nil {
		t.Fatalf("CreateTransaction: %v", err)
	}

	body := []byte(`{"patient":"Zzcanaryfirst Zzcanarylast"}`)
	err := st.EndAttempt(ctx, txn.ID, store.AttemptEnd{Status: "succeeded", Final: true, ResponseStatus: 200, Response: body})
	if err != nil {
		t.Fatalf("EndAttempt: %v", err)
	}
	_, response := rawColumns(t, st, txn.ID)
	requireSealedWith(t, "response", response, "keya")

	found, err := st.FindTransactionByIdempotencyKey(ctx, key)
	if err != nil {
		t.Fatalf("FindTransactionByIdempotencyKey: %v", err)
	}
	if !bytes.Equal(found.Response, body) || string(found.Payload) != canaryPayload {
		t.Errorf("found response %q and payload %q, want both in plaintext", found.Response, found.Payload)
	}
}

func TestSealedValueOpensOnlyInItsRow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openMigrated(t)
	st.Keyring = testKeyring(t, testKey(t, "keya"))
	system := createSystem(t, st, "CopyClinic")
	source := newSealedTransaction(t, system, "succeeded")
	target := newSealedTransaction(t, system, "succeeded")
	target.Payload = []byte(`{"patientData":{"firstName":"Other"}}`)
	for _, txn := range []*store.Transaction{source, target} {
		if err := st.CreateTransaction(ctx, txn, nil); err != nil {
			t.Fatalf("CreateTransaction: %v", err)
		}
	}

	if _, err := st.SQL.Exec("UPDATE transactions SET payload = (SELECT payload FROM transactions WHERE id = $1) WHERE id = $2",
		source.ID, target.ID); err != nil {
		t.Fatalf("copying payload: %v", err)
	}
	found, err := st.FindTransaction(ctx, target.ID)
	if err != nil {
		t.Fatalf("FindTransaction of the row with a copied payload: %v, want the row with SealError", err)
	}
	sealErr := found.SealError
	if !errors.Is(sealErr, seal.ErrTampered) || !found.PayloadUnreadable() || found.PayloadPurged() {
		t.Fatalf("SealError %v, unreadable %v, purged %v; want seal.ErrTampered, true, false", sealErr, found.PayloadUnreadable(), found.PayloadPurged())
	}
	if !strings.Contains(sealErr.Error(), target.ID.String()) {
		t.Errorf("error %q does not name the transaction", sealErr)
	}
	if strings.Contains(sealErr.Error(), "Zzcanary") || found.Payload != nil || found.Status != "succeeded" {
		t.Errorf("failed open leaks data or loses metadata: error %q, payload %q, status %q", sealErr, found.Payload, found.Status)
	}

	// A response copied into the payload column of its own row fails too.
	if _, err := st.SQL.Exec("UPDATE transactions SET payload = $1 WHERE id = $2", mustSeal(t, st, source.ID, "response"), source.ID); err != nil {
		t.Fatalf("writing payload: %v", err)
	}
	if found, _ := st.FindTransaction(ctx, source.ID); !errors.Is(found.SealError, seal.ErrTampered) {
		t.Errorf("FindTransaction of a payload sealed as a response: %v, want seal.ErrTampered", found.SealError)
	}
}

// mustSeal seals canaryPayload as the given column of transaction id.
func mustSeal(t testing.TB, st *store.Store, id uuid.UUID, column string) []byte {
	t.Helper()
	sealed, err := st.Keyring.Seal([]byte(canaryPayload), []byte("transactions/"+id.String()+"/"+column))
	if err != nil {
		t.Fatal(err)
	}

	return sealed
}

func TestRequeuePurgedTransactionIsRejected(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openMigrated(t)
	st.Keyring = testKeyring(t, testKey(t, "keya"))
	system := createSystem(t, st, "RequeueClinic")
	kept := newSealedTransaction(t, system, "failed")
	purged := newSealedTransaction(t, system, "failed")
	for _, txn := range []*store.Transaction{kept, purged} {
		if err := st.CreateTransaction(ctx, txn, nil); err != nil {
			t.Fatalf("CreateTransaction: %v", err)
		}
	}
	if _, err := st.SQL.Exec("UPDATE transactions SET payload = NULL, payload_purged_at = now() WHERE id = $1", purged.ID); err != nil {
		t.Fatalf("purging: %v", err)
	}

	requeued, err := st.RequeueTransaction(ctx, kept.ID, []string{"failed"}, nil)
	if err != nil {
		t.Fatalf("RequeueTransaction of a kept payload: %v", err)
	}
	if requeued.Status != "queued" || string(requeued.Payload) != canaryPayload {
		t.Errorf("requeued transaction has status %q and payload %q, want queued with the plaintext", requeued.Status, requeued.Payload)
	}

	if _, err := st.RequeueTransaction(ctx, purged.ID, []string{"failed"}, nil); !errors.Is(err, store.ErrPayloadPurged) {
		t.Errorf("RequeueTransaction of a purged payload: %v, want ErrPayloadPurged", err)
	}
	found, err := st.FindTransaction(ctx, purged.ID)
	if err != nil {
		t.Fatalf("FindTransaction: %v", err)
	}
	if found.Status != "failed" || !found.PayloadPurged() {
		t.Errorf("purged transaction after a rejected retry: status %q, purged %v; want failed and purged", found.Status, found.PayloadPurged())
	}
}

func TestWithoutKeyPayloadIsStoredAsIs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openMigrated(t)
	system := createSystem(t, st, "PlainClinic")
	txn := newSealedTransaction(t, system, "processing")
	if err := st.CreateTransaction(ctx, txn, nil); err != nil {
		t.Fatalf("CreateTransaction: %v", err)
	}

	payload, _ := rawColumns(t, st, txn.ID)
	if string(payload) != canaryPayload {
		t.Errorf("payload stored without a key as %q, want it unchanged", payload)
	}
	// The row opens once a key is configured, as before a rotation.
	st.Keyring = testKeyring(t, testKey(t, "keya"))
	found, err := st.FindTransaction(ctx, txn.ID)
	if err != nil || string(found.Payload) != canaryPayload {
		t.Errorf("FindTransaction of a plain row with a key configured: payload %q, error %v", found.Payload, err)
	}
}
