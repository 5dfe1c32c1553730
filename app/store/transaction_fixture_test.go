package store_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"ehrbridge/app/store"
)

// createTransactionWithStatus stores a transaction and sets its status.
func createTransactionWithStatus(t *testing.T, st *store.Store, system store.System, status string) uuid.UUID {
	t.Helper()
	ctx := context.Background()
	id, err := store.NewTransactionID()
	if err != nil {
		t.Fatalf("NewTransactionID: %v", err)
	}
	txn := &store.Transaction{
		ID: id, EHRSystemID: system.ID, EHRName: system.Name, Mode: "bulk", Status: "queued",
		MappingVersion: 1, RequestHash: []byte{1}, Language: "en", Payload: []byte(`{}`),
	}
	if err := st.CreateTransaction(ctx, txn, nil); err != nil {
		t.Fatalf("CreateTransaction: %v", err)
	}
	if err := st.SetTransactionStatus(ctx, id, status, ""); err != nil {
		t.Fatalf("SetTransactionStatus %s: %v", status, err)
	}

	return id
}
