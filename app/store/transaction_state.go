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

// ErrPayloadPurged reports a transaction whose payload was deleted after the
// retention period, so it cannot be delivered again.
var ErrPayloadPurged = errors.New("transaction payload was purged")

// ErrPayloadUnreadable reports a transaction whose payload cannot be
// decrypted with the configured keys, so it cannot be delivered again.
var ErrPayloadUnreadable = errors.New("transaction payload cannot be decrypted")

// RequeueTransaction prepares a finished transaction for another delivery
// attempt inside one database transaction: it checks that the status is one
// of allowed and that the payload is still kept, marks every endpoint that
// has not succeeded as pending again, sets the status to queued, and calls
// enqueue to insert or revive the job. The returned transaction's payload
// and response are decrypted.
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
		if txn.PayloadPurged() {
			return ErrPayloadPurged
		}
		if _, err := s.openColumn(txn.ID, columnPayload, txn.Payload); err != nil {
			return fmt.Errorf("%w: %w", ErrPayloadUnreadable, err)
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
	if errors.Is(err, ErrNotRetryable) || errors.Is(err, ErrPayloadPurged) || errors.Is(err, ErrPayloadUnreadable) {
		// The caller reports only the status, so the payload stays sealed
		// and is dropped.
		txn.Payload, txn.Response = nil, nil
		return txn, err
	}
	if err != nil {
		return Transaction{}, fmt.Errorf("requeueing transaction %s: %w", id, err)
	}
	if err := s.openTransaction(&txn); err != nil {
		return Transaction{}, err
	}

	return txn, nil
}

// FindTransactionByJob returns the transaction a queue job delivers, its
// payload and response decrypted.
func (s *Store) FindTransactionByJob(ctx context.Context, jobID int64) (Transaction, error) {
	var t Transaction
	err := s.DB.WithContext(ctx).Take(&t, "job_id = ?", jobID).Error
	if err != nil {
		return t, notFoundOr(err, fmt.Sprintf("loading transaction of job %d", jobID))
	}
	if err := s.openTransaction(&t); err != nil {
		return Transaction{}, err
	}

	return t, nil
}
