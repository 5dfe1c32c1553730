package store_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"ehrbridge/app/store"
)

// createTransactionWithStatus stores a transaction of system in status.
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

func TestCountTransactionStatuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openMigrated(t)
	system := createSystem(t, st, "ProgressClinic")

	queued := createTransactionWithStatus(t, st, system, "queued")
	processing := createTransactionWithStatus(t, st, system, "processing")
	succeededA := createTransactionWithStatus(t, st, system, "succeeded")
	succeededB := createTransactionWithStatus(t, st, system, "succeeded")
	dead := createTransactionWithStatus(t, st, system, "dead")
	outside := createTransactionWithStatus(t, st, system, "failed")

	tests := []struct {
		name string
		ids  []uuid.UUID
		want map[string]int
	}{
		{"no ids", nil, map[string]int{}},
		{"one of each and two succeeded", []uuid.UUID{queued, processing, succeededA, succeededB, dead},
			map[string]int{"queued": 1, "processing": 1, "succeeded": 2, "dead": 1}},
		{"unknown id is not counted", []uuid.UUID{outside, uuid.New()}, map[string]int{"failed": 1}},
	}
	for _, tt := range tests {
		got, err := st.CountTransactionStatuses(ctx, tt.ids)
		if err != nil {
			t.Fatalf("%s: CountTransactionStatuses: %v", tt.name, err)
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
		for status, n := range tt.want {
			if got[status] != n {
				t.Errorf("%s: %s counted %d, want %d", tt.name, status, got[status], n)
			}
		}
	}
}
