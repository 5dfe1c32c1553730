package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"ehrbridge/app/store"
)

// createAged stores a transaction with status, created age ago.
func createAged(t *testing.T, st *store.Store, system store.System, status string, age time.Duration) uuid.UUID {
	t.Helper()
	txn := newSealedTransaction(t, system, status)
	if err := st.CreateTransaction(context.Background(), txn, nil); err != nil {
		t.Fatalf("CreateTransaction: %v", err)
	}
	if _, err := st.SQL.Exec("UPDATE transactions SET created_at = now() - make_interval(secs => $1) WHERE id = $2",
		age.Seconds(), txn.ID); err != nil {
		t.Fatalf("ageing transaction: %v", err)
	}

	return txn.ID
}

func TestPurgePayloadsInBatches(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openMigrated(t)
	st.Keyring = testKeyring(t, testKey(t, "keya"))
	system := createSystem(t, st, "PurgeClinic")
	final := []string{"succeeded", "partially_failed", "failed", "dead"}

	var old []uuid.UUID
	for _, status := range append(final, "failed") {
		old = append(old, createAged(t, st, system, status, 48*time.Hour))
	}
	oldQueued := createAged(t, st, system, "queued", 48*time.Hour)
	oldProcessing := createAged(t, st, system, "processing", 48*time.Hour)
	recent := createAged(t, st, system, "succeeded", time.Hour)

	now := time.Now()
	purged, err := st.PurgePayloads(ctx, store.PayloadPurge{
		CreatedBefore: now.Add(-24 * time.Hour), Statuses: final, PurgedAt: now, BatchSize: 2,
	})
	if err != nil {
		t.Fatalf("PurgePayloads: %v", err)
	}
	if purged != int64(len(old)) {
		t.Errorf("purged %d transactions, want %d", purged, len(old))
	}

	for _, id := range old {
		txn, err := st.FindTransaction(ctx, id)
		if err != nil {
			t.Fatalf("FindTransaction %s: %v", id, err)
		}
		if txn.Payload != nil || txn.Response != nil || txn.PayloadPurgedAt == nil {
			t.Errorf("old final transaction %s: payload %q, purged at %v; want no payload and a purge time", id, txn.Payload, txn.PayloadPurgedAt)
		}
		if len(txn.Endpoints) != 1 || txn.EHRName != system.Name {
			t.Errorf("old final transaction %s lost metadata: %d ledger rows, EHR %q", id, len(txn.Endpoints), txn.EHRName)
		}
	}
	for name, id := range map[string]uuid.UUID{"old queued": oldQueued, "old processing": oldProcessing, "recent": recent} {
		txn, err := st.FindTransaction(ctx, id)
		if err != nil {
			t.Fatalf("FindTransaction %s: %v", id, err)
		}
		if string(txn.Payload) != canaryPayload || txn.PayloadPurgedAt != nil {
			t.Errorf("%s transaction: payload %q, purged at %v; want it kept", name, txn.Payload, txn.PayloadPurgedAt)
		}
	}

	again, err := st.PurgePayloads(ctx, store.PayloadPurge{
		CreatedBefore: now.Add(-24 * time.Hour), Statuses: final, PurgedAt: now, BatchSize: 2,
	})
	if err != nil || again != 0 {
		t.Errorf("second purge: %d purged, error %v; want 0 and no error", again, err)
	}
}

func TestPurgePayloadsRejectsEmptySelection(t *testing.T) {
	t.Parallel()
	st := openMigrated(t)
	for name, purge := range map[string]store.PayloadPurge{
		"no statuses":   {CreatedBefore: time.Now(), BatchSize: 10},
		"no batch size": {CreatedBefore: time.Now(), Statuses: []string{"failed"}},
	} {
		if _, err := st.PurgePayloads(context.Background(), purge); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
