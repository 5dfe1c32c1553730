package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// PayloadPurge selects the transactions whose patient data is deleted.
type PayloadPurge struct {
	// CreatedBefore is the cutoff. Only transactions created earlier lose
	// their payload.
	CreatedBefore time.Time
	// Statuses are the final statuses whose transactions may be purged. A
	// transaction still queued or processing keeps its payload, because a
	// delivery needs it.
	Statuses []string
	// PurgedAt is recorded in payload_purged_at.
	PurgedAt time.Time
	// BatchSize is the number of rows one UPDATE statement purges.
	BatchSize int
}

// PurgePayloads sets payload and response to NULL on every transaction the
// purge selects, BatchSize rows per statement so that no statement holds
// many row locks for long, and returns how many transactions it purged.
// Metadata and ledger rows stay. Rows locked by a running retry are
// skipped and purged by a later run.
func (s *Store) PurgePayloads(ctx context.Context, purge PayloadPurge) (int64, error) {
	if purge.BatchSize < 1 || len(purge.Statuses) == 0 {
		return 0, errors.New("purging payloads: a batch size and at least one status are required")
	}

	var total int64
	for {
		// The outer status check repeats the inner one because PostgreSQL
		// re-evaluates it on the row's latest version, in case a retry
		// requeued the transaction after the inner query chose it.
		result := s.DB.WithContext(ctx).Exec(`UPDATE transactions
			SET payload = NULL, response = NULL, payload_purged_at = ?
			WHERE status IN ? AND id IN (
				SELECT id FROM transactions
				WHERE payload IS NOT NULL AND created_at < ? AND status IN ?
				ORDER BY created_at
				LIMIT ?
				FOR UPDATE SKIP LOCKED)`,
			purge.PurgedAt, purge.Statuses, purge.CreatedBefore, purge.Statuses, purge.BatchSize)
		if result.Error != nil {
			return total, fmt.Errorf("purging payloads created before %s: %w", purge.CreatedBefore.UTC().Format(time.RFC3339), result.Error)
		}
		total += result.RowsAffected
		if result.RowsAffected < int64(purge.BatchSize) {
			return total, nil
		}
	}
}
