package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// TransactionFilter selects transactions for a list. Zero fields do not
// filter. Before is the cursor: only ids older than it are returned.
type TransactionFilter struct {
	EHRSystemID int64
	Status      string
	From        time.Time
	To          time.Time
	Before      uuid.UUID
	Limit       int
}

// TransactionSummary is a list row: no payload, no patient data.
type TransactionSummary struct {
	ID             uuid.UUID
	EHRName        string
	Mode           string
	Status         string
	MappingVersion int
	EHRPatientID   string
	Attempts       int
	LastError      string
	CreatedAt      time.Time
	CompletedAt    *time.Time
	EndpointsTotal int
	EndpointsDone  int
}

// ListTransactions returns up to Limit transactions newest first, and
// whether more follow.
func (s *Store) ListTransactions(ctx context.Context, f TransactionFilter) ([]TransactionSummary, bool, error) {
	query := s.DB.WithContext(ctx).Table("transactions t").
		Select(`t.id, t.ehr_name, t.mode, t.status, t.mapping_version, t.ehr_patient_id, t.attempts,
			t.last_error, t.created_at, t.completed_at,
			(SELECT count(*) FROM transaction_endpoints e WHERE e.transaction_id = t.id) AS endpoints_total,
			(SELECT count(*) FROM transaction_endpoints e WHERE e.transaction_id = t.id AND e.status = 'succeeded') AS endpoints_done`)
	if f.EHRSystemID != 0 {
		query = query.Where("t.ehr_system_id = ?", f.EHRSystemID)
	}
	if f.Status != "" {
		query = query.Where("t.status = ?", f.Status)
	}
	if !f.From.IsZero() {
		query = query.Where("t.created_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		query = query.Where("t.created_at < ?", f.To)
	}
	if f.Before != uuid.Nil {
		query = query.Where("t.id < ?", f.Before)
	}

	var rows []TransactionSummary
	if err := query.Order("t.id DESC").Limit(f.Limit + 1).Scan(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("listing transactions: %w", err)
	}
	more := len(rows) > f.Limit
	if more {
		rows = rows[:f.Limit]
	}

	return rows, more, nil
}
