package drills_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// countsByGroup runs a query of (text, count) rows on databaseURL and
// returns them as a map, such as transactions by status.
func countsByGroup(t *testing.T, databaseURL, query string, args ...any) map[string]int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		t.Fatalf("connecting to the drill database: %v", err)
	}
	defer conn.Close(ctx)

	rows, err := conn.Query(ctx, query, args...)
	if err != nil {
		t.Fatalf("running %q: %v", query, err)
	}
	counts := map[string]int{}
	var group string
	var count int
	_, err = pgx.ForEachRow(rows, []any{&group, &count}, func() error {
		counts[group] = count
		return nil
	})
	if err != nil {
		t.Fatalf("reading %q: %v", query, err)
	}

	return counts
}

// deliveryJob is the River job row of one transaction's delivery.
type deliveryJob struct {
	state   string
	attempt int
	// attemptStarts are the start times of the failed attempts in attempt
	// order. River (v0.51) records each error with its attempt's start.
	attemptStarts []time.Time
}

// findDeliveryJob reads the delivery job of a transaction from River's
// table.
func findDeliveryJob(t *testing.T, databaseURL, transactionID string) deliveryJob {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		t.Fatalf("connecting to the drill database: %v", err)
	}
	defer conn.Close(ctx)

	var job deliveryJob
	var attemptErrors []struct {
		At      time.Time `json:"at"`
		Attempt int       `json:"attempt"`
	}
	err = conn.QueryRow(ctx, `SELECT state::text, attempt, coalesce(array_to_json(errors), '[]'::json)
		FROM river_job WHERE kind = 'deliver_transaction' AND args->>'transactionId' = $1`, transactionID).
		Scan(&job.state, &job.attempt, &attemptErrors)
	if err != nil {
		t.Fatalf("reading the delivery job of transaction %s: %v", transactionID, err)
	}
	for i, attemptErr := range attemptErrors {
		if attemptErr.Attempt != i+1 {
			t.Fatalf("job of transaction %s records attempt %d at position %d", transactionID, attemptErr.Attempt, i+1)
		}
		job.attemptStarts = append(job.attemptStarts, attemptErr.At)
	}

	return job
}
