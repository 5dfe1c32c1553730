package store_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
)

func TestTransactionStatuses(t *testing.T) {
	t.Parallel()
	st := openMigrated(t)
	system := createSystem(t, st, "StatusClinic")
	queued := createTransactionWithStatus(t, st, system, "queued")
	dead := createTransactionWithStatus(t, st, system, "dead")
	outside := createTransactionWithStatus(t, st, system, "failed")
	missing := uuid.New()

	got, err := st.TransactionStatuses(context.Background(), []uuid.UUID{queued, dead, missing})
	if err != nil {
		t.Fatalf("TransactionStatuses: %v", err)
	}
	tests := []struct {
		name  string
		id    uuid.UUID
		want  string
		found bool
	}{
		{"queued transaction", queued, "queued", true},
		{"dead transaction", dead, "dead", true},
		{"id of no transaction", missing, "", false},
		{"transaction not asked for", outside, "", false},
	}
	for _, tt := range tests {
		status, found := got[tt.id]
		if status != tt.want || found != tt.found {
			t.Errorf("%s: status %q (found %v), want %q (found %v)", tt.name, status, found, tt.want, tt.found)
		}
	}
	empty, err := st.TransactionStatuses(context.Background(), nil)
	if err != nil || len(empty) != 0 {
		t.Errorf("no ids: got %v (%v), want an empty map", empty, err)
	}
}
