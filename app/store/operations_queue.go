package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
)

// JobTransaction is the part of a transaction the queue page needs beside
// one of its delivery jobs: its status and its current job.
type JobTransaction struct {
	ID     uuid.UUID
	Status string
	// JobID is the transaction's current delivery job; nil before any.
	JobID *int64
}

// FindJobTransactions returns the status and current job of each
// transaction in ids that exists, keyed by id, with one query.
func (s *Store) FindJobTransactions(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]JobTransaction, error) {
	found := make(map[uuid.UUID]JobTransaction, len(ids))
	if len(ids) == 0 {
		return found, nil
	}
	var rows []JobTransaction
	err := s.DB.WithContext(ctx).Table("transactions").Select("id, status, job_id").
		Where("id IN ?", ids).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("loading the transactions of %d jobs: %w", len(ids), err)
	}
	for _, row := range rows {
		found[row.ID] = row
	}

	return found, nil
}
