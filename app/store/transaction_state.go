package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// SetTransactionStatus changes a transaction's status and last error
// without finishing it, as when an attempt starts or a retry is scheduled.
func (s *Store) SetTransactionStatus(ctx context.Context, id uuid.UUID, status, lastError string) error {
	err := s.DB.WithContext(ctx).Model(&Transaction{}).Where("id = ?", id).Updates(map[string]any{
		"status": status, "last_error": lastError, "updated_at": time.Now(),
	}).Error
	if err != nil {
		return fmt.Errorf("setting status of transaction %s: %w", id, err)
	}

	return nil
}

// ErrNotRetryable reports a transaction whose status does not allow a
// manual retry.
var ErrNotRetryable = errors.New("transaction status does not allow a retry")

// RequeueTransaction prepares a finished transaction for another delivery
// attempt inside one database transaction: it checks that the status is one
// of allowed, marks every endpoint that has not succeeded as pending again,
// sets the status to queued, and calls enqueue to insert or revive the job.
func (s *Store) RequeueTransaction(ctx context.Context, id uuid.UUID, allowed []string, enqueue Enqueue) (Transaction, error) {
	var txn Transaction
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Take(&txn, "id = ?", id).Error
		if err != nil {
			return err
		}
		if !slices.Contains(allowed, txn.Status) {
			return ErrNotRetryable
		}
		err = tx.Model(&TransactionEndpoint{}).Where("transaction_id = ? AND status <> 'succeeded'", id).
			Updates(map[string]any{"status": "pending", "retryable": true, "updated_at": time.Now()}).Error
		if err != nil {
			return err
		}
		txn.Status = "queued"
		if err := tx.Model(&txn).Updates(map[string]any{"status": "queued", "completed_at": nil, "updated_at": time.Now()}).Error; err != nil {
			return err
		}
		return createJob(ctx, tx, &txn, enqueue)
	})
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Transaction{}, ErrNotFound
	}
	if errors.Is(err, ErrNotRetryable) {
		return txn, err
	}
	if err != nil {
		return Transaction{}, fmt.Errorf("requeueing transaction %s: %w", id, err)
	}

	return txn, nil
}

// FindTransactionByJob returns the transaction a queue job delivers.
func (s *Store) FindTransactionByJob(ctx context.Context, jobID int64) (Transaction, error) {
	var t Transaction
	err := s.DB.WithContext(ctx).Take(&t, "job_id = ?", jobID).Error

	return t, notFoundOr(err, fmt.Sprintf("loading transaction of job %d", jobID))
}
