package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"ehrbridge/app/seal"
	"ehrbridge/app/store"
)

func TestResealMovesValuesToCurrentKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openMigrated(t)
	keyA, keyB := testKey(t, "keya"), testKey(t, "keyb")
	st.Keyring = testKeyring(t, keyA)
	system := createSystem(t, st, "RotateClinic")

	var ids []uuid.UUID
	for range 5 {
		txn := newSealedTransaction(t, system, "processing")
		if err := st.CreateTransaction(ctx, txn, nil); err != nil {
			t.Fatalf("CreateTransaction: %v", err)
		}
		ids = append(ids, txn.ID)
	}
	err := st.EndAttempt(ctx, ids[0], store.AttemptEnd{Status: "succeeded", Final: true, ResponseStatus: 200, Response: []byte(`{"ok":"Zzcanaryfirst"}`)})
	if err != nil {
		t.Fatalf("EndAttempt: %v", err)
	}
	// A row written before any key was configured, and a purged one.
	if _, err := st.SQL.Exec("UPDATE transactions SET payload = $1 WHERE id = $2", []byte(canaryPayload), ids[1]); err != nil {
		t.Fatalf("writing a plain payload: %v", err)
	}
	if _, err := st.SQL.Exec("UPDATE transactions SET payload = NULL, payload_purged_at = now() WHERE id = $1", ids[2]); err != nil {
		t.Fatalf("purging: %v", err)
	}

	st.Keyring = testKeyring(t, keyB, keyA)
	result, err := st.ResealTransactions(ctx, 2)
	if err != nil {
		t.Fatalf("ResealTransactions: %v", err)
	}
	if result.Resealed != 4 || result.Current != 1 || len(result.Failed) != 0 {
		t.Errorf("first rotation: %+v, want 4 resealed, 1 current (the purged one), none failed", result)
	}

	again, err := st.ResealTransactions(ctx, 2)
	if err != nil {
		t.Fatalf("second ResealTransactions: %v", err)
	}
	if again.Resealed != 0 || again.Current != 5 || len(again.Failed) != 0 {
		t.Errorf("second rotation: %+v, want every transaction already current", again)
	}

	st.Keyring = testKeyring(t, keyB)
	for i, id := range ids {
		payload, response := rawColumns(t, st, id)
		if i != 2 {
			requireSealedWith(t, "payload of "+id.String(), payload, "keyb")
		}
		if i == 0 {
			requireSealedWith(t, "response of "+id.String(), response, "keyb")
		}
		txn, err := st.FindTransaction(ctx, id)
		if err != nil {
			t.Errorf("FindTransaction %s with key B only: %v", id, err)
			continue
		}
		if i != 2 && string(txn.Payload) != canaryPayload {
			t.Errorf("payload of %s after rotation is %q, want the original", id, txn.Payload)
		}
	}
}

func TestResealListsUnreadableRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openMigrated(t)
	keyA, keyB, keyC := testKey(t, "keya"), testKey(t, "keyb"), testKey(t, "keyc")
	st.Keyring = testKeyring(t, keyC)
	system := createSystem(t, st, "UnknownKeyClinic")
	lost := newSealedTransaction(t, system, "succeeded")
	if err := st.CreateTransaction(ctx, lost, nil); err != nil {
		t.Fatalf("CreateTransaction: %v", err)
	}
	st.Keyring = testKeyring(t, keyA)
	readable := newSealedTransaction(t, system, "succeeded")
	if err := st.CreateTransaction(ctx, readable, nil); err != nil {
		t.Fatalf("CreateTransaction: %v", err)
	}

	st.Keyring = testKeyring(t, keyB, keyA)
	result, err := st.ResealTransactions(ctx, 10)
	if err != nil {
		t.Fatalf("ResealTransactions: %v", err)
	}
	if result.Resealed != 1 || len(result.Failed) != 1 {
		t.Fatalf("rotation: %+v, want 1 resealed and 1 failed", result)
	}
	failure := result.Failed[0]
	if failure.TransactionID != lost.ID || failure.Column != "payload" || !errors.Is(failure.Err, seal.ErrUnknownKey) {
		t.Errorf("failure %+v, want payload of %s with seal.ErrUnknownKey", failure, lost.ID)
	}
	payload, _ := rawColumns(t, st, lost.ID)
	requireSealedWith(t, "payload left unread", payload, "keyc")
}

func TestResealNeedsAKey(t *testing.T) {
	t.Parallel()
	st := openMigrated(t)
	if _, err := st.ResealTransactions(context.Background(), 10); err == nil {
		t.Error("ResealTransactions without a key: no error")
	}
}
