package store

import (
	"context"
	"fmt"
	"time"
)

// TransactionCount is how many transactions of one EHR system have one
// status.
type TransactionCount struct {
	EHRName string
	Status  string
	Count   int64
}

// CountTransactionsSince counts the transactions created at or after since,
// grouped by EHR system name and status, ordered by name and status.
func (s *Store) CountTransactionsSince(ctx context.Context, since time.Time) ([]TransactionCount, error) {
	var counts []TransactionCount
	err := s.DB.WithContext(ctx).Table("transactions").
		Select("ehr_name, status, count(*) AS count").
		Where("created_at >= ?", since).
		Group("ehr_name, status").
		Order("lower(ehr_name), status").
		Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("counting transactions since %s: %w", since.Format(time.RFC3339), err)
	}

	return counts, nil
}

// LatestTransactionsWithStatus returns up to limit transactions whose
// status is one of statuses, newest first, as list rows.
func (s *Store) LatestTransactionsWithStatus(ctx context.Context, statuses []string, limit int) ([]TransactionSummary, error) {
	var rows []TransactionSummary
	err := s.DB.WithContext(ctx).Table("transactions t").
		Select(`t.id, t.ehr_name, t.mode, t.status, t.mapping_version, t.attempts, t.last_error, t.created_at,
			t.completed_at,
			(SELECT count(*) FROM transaction_endpoints e WHERE e.transaction_id = t.id) AS endpoints_total,
			(SELECT count(*) FROM transaction_endpoints e WHERE e.transaction_id = t.id AND e.status = 'succeeded') AS endpoints_done`).
		Where("t.status IN ?", statuses).
		Order("t.id DESC").
		Limit(limit).
		Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("listing latest transactions by status: %w", err)
	}

	return rows, nil
}
