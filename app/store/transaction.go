package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Transaction is one send of one patient to one EHR (a row of
// transactions). Payload is the validated request as JSON and Response the
// stored response body of a synchronous send. Both are sealed in the
// database and plaintext in this struct, and both are nil once purged after
// the retention period.
type Transaction struct {
	ID             uuid.UUID `gorm:"type:uuid;primaryKey"`
	EHRSystemID    int64     `gorm:"column:ehr_system_id"`
	EHRName        string    `gorm:"column:ehr_name"`
	Mode           string
	Status         string
	MappingVersion int
	IdempotencyKey *string
	RequestHash    []byte
	EHRPatientID   string `gorm:"column:ehr_patient_id"`
	Language       string
	Attempts       int
	Payload        []byte
	ResponseStatus *int
	Response       []byte
	LastError      string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	CompletedAt    *time.Time
	JobID          *int64
	// PayloadPurgedAt is when the retention job deleted Payload and
	// Response, or nil while they are kept.
	PayloadPurgedAt *time.Time
	Endpoints       []TransactionEndpoint `gorm:"foreignKey:TransactionID"`
	// SealError is the decryption failure of the payload or response, which
	// are then both nil. It is nil when both were read.
	SealError error `gorm:"-"`
}

// TableName names Transaction's table for gorm.
func (Transaction) TableName() string { return "transactions" }

// PayloadPurged reports whether the transaction's payload is gone, so it
// can neither be shown nor delivered again.
func (t Transaction) PayloadPurged() bool {
	return t.PayloadPurgedAt != nil || (t.Payload == nil && t.SealError == nil)
}

// PayloadUnreadable reports whether the payload or response is stored but
// could not be decrypted: sealed with a key that is not configured, or
// changed.
func (t Transaction) PayloadUnreadable() bool {
	return t.SealError != nil
}

// TransactionEndpoint is one planned endpoint of a transaction: the ledger
// row that records whether it reached the EHR.
type TransactionEndpoint struct {
	TransactionID     uuid.UUID `gorm:"type:uuid;primaryKey"`
	Endpoint          string    `gorm:"primaryKey"`
	Position          int
	IdentifiesPatient bool
	Status            string
	HTTPStatus        *int   `gorm:"column:http_status"`
	EHRReference      string `gorm:"column:ehr_reference"`
	DurationMS        *int   `gorm:"column:duration_ms"`
	ErrorCode         string
	ErrorReason       string
	// Retryable reports whether the last failure may succeed on a later
	// attempt. Automatic retries skip endpoints whose failure is permanent.
	Retryable bool
	Attempts  int
	UpdatedAt time.Time
}

// TableName names TransactionEndpoint's table for gorm.
func (TransactionEndpoint) TableName() string { return "transaction_endpoints" }

// ErrIdempotencyKeyUsed reports that a transaction already has the key.
var ErrIdempotencyKeyUsed = errors.New("idempotency key already used")

// NewTransactionID returns a new time-ordered transaction id (UUIDv7), so
// ids sort by creation and serve as the pagination cursor.
func NewTransactionID() (uuid.UUID, error) {
	return uuid.NewV7()
}

// Enqueue inserts the queue job of a transaction inside the database
// transaction that stores it and returns the job's id.
type Enqueue func(ctx context.Context, tx *sql.Tx, t *Transaction) (int64, error)

// CreateTransaction inserts a transaction and its ledger rows in one
// database transaction, together with its queue job when enqueue is not
// nil. A duplicate idempotency key gives ErrIdempotencyKeyUsed and writes
// nothing; so does any failure of enqueue.
func (s *Store) CreateTransaction(ctx context.Context, t *Transaction, enqueue Enqueue) error {
	restore, err := s.sealForInsert(t)
	if err != nil {
		return fmt.Errorf("creating transaction %s: %w", t.ID, err)
	}
	defer restore()

	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return createWithJob(ctx, tx, t, enqueue)
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return ErrIdempotencyKeyUsed
	}
	if err != nil {
		return fmt.Errorf("creating transaction %s: %w", t.ID, err)
	}

	return nil
}

// EnqueueMany inserts the queue jobs of many transactions inside the
// database transaction that stores them and returns their ids in order.
type EnqueueMany func(ctx context.Context, tx *sql.Tx, transactionIDs []uuid.UUID) ([]int64, error)

// CreateTransactions inserts many transactions, their ledger rows and their
// queue jobs in one database transaction: all of them or none.
func (s *Store) CreateTransactions(ctx context.Context, ts []*Transaction, enqueue EnqueueMany) error {
	restore, err := s.sealForInsert(ts...)
	if err != nil {
		return fmt.Errorf("creating %d transactions: %w", len(ts), err)
	}
	defer restore()

	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.CreateInBatches(ts, 200).Error; err != nil {
			return err
		}
		sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
		if !ok {
			return fmt.Errorf("gorm transaction is a %T, not a *sql.Tx", tx.Statement.ConnPool)
		}
		ids := make([]uuid.UUID, len(ts))
		for i, t := range ts {
			ids[i] = t.ID
		}
		jobIDs, err := enqueue(ctx, sqlTx, ids)
		if err != nil {
			return fmt.Errorf("enqueueing %d transactions: %w", len(ts), err)
		}
		return setJobIDs(tx, ts, jobIDs)
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return ErrIdempotencyKeyUsed
	}
	if err != nil {
		return fmt.Errorf("creating %d transactions: %w", len(ts), err)
	}

	return nil
}

// setJobIDs stores each transaction's job id with one statement.
func setJobIDs(tx *gorm.DB, ts []*Transaction, jobIDs []int64) error {
	if len(jobIDs) != len(ts) {
		return fmt.Errorf("queue returned %d job ids for %d transactions", len(jobIDs), len(ts))
	}
	ids := make([]string, len(ts))
	jobs := make([]string, len(ts))
	for i, t := range ts {
		ids[i] = t.ID.String()
		jobs[i] = strconv.FormatInt(jobIDs[i], 10)
		t.JobID = &jobIDs[i]
	}

	// gorm expands a Go slice argument into a list of parameters, so the
	// arrays are passed as PostgreSQL array literals.
	return tx.Exec(`UPDATE transactions t SET job_id = v.job_id
		FROM unnest(?::uuid[], ?::bigint[]) AS v(id, job_id) WHERE t.id = v.id`,
		"{"+strings.Join(ids, ",")+"}", "{"+strings.Join(jobs, ",")+"}").Error
}

// createWithJob inserts the queue job first, so the transaction row is
// written once, with its job id, rather than inserted and then updated.
// Both commit or roll back together.
func createWithJob(ctx context.Context, tx *gorm.DB, t *Transaction, enqueue Enqueue) error {
	if enqueue != nil {
		sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
		if !ok {
			return fmt.Errorf("gorm transaction is a %T, not a *sql.Tx", tx.Statement.ConnPool)
		}
		jobID, err := enqueue(ctx, sqlTx, t)
		if err != nil {
			return fmt.Errorf("enqueueing transaction %s: %w", t.ID, err)
		}
		t.JobID = &jobID
	}

	return tx.Create(t).Error
}

// createJob calls enqueue with the database transaction behind tx and
// stores the job id on the transaction row.
func createJob(ctx context.Context, tx *gorm.DB, t *Transaction, enqueue Enqueue) error {
	if enqueue == nil {
		return nil
	}
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return fmt.Errorf("gorm transaction is a %T, not a *sql.Tx", tx.Statement.ConnPool)
	}
	jobID, err := enqueue(ctx, sqlTx, t)
	if err != nil {
		return fmt.Errorf("enqueueing transaction %s: %w", t.ID, err)
	}
	t.JobID = &jobID

	return tx.Model(t).Update("job_id", jobID).Error
}

// FindTransaction returns a transaction with its ledger rows in position
// order, its payload and response decrypted.
func (s *Store) FindTransaction(ctx context.Context, id uuid.UUID) (Transaction, error) {
	var t Transaction
	err := s.DB.WithContext(ctx).
		Preload("Endpoints", func(db *gorm.DB) *gorm.DB { return db.Order("position") }).
		Take(&t, "id = ?", id).Error
	if err != nil {
		return t, notFoundOr(err, "loading transaction "+id.String())
	}
	if err := s.openTransaction(&t); err != nil {
		return Transaction{}, err
	}

	return t, nil
}

// FindTransactionByIdempotencyKey returns the transaction that used key,
// its payload and response decrypted.
func (s *Store) FindTransactionByIdempotencyKey(ctx context.Context, key string) (Transaction, error) {
	var t Transaction
	err := s.DB.WithContext(ctx).Take(&t, "idempotency_key = ?", key).Error
	if err != nil {
		return t, notFoundOr(err, "loading transaction by idempotency key")
	}
	if err := s.openTransaction(&t); err != nil {
		return Transaction{}, err
	}

	return t, nil
}

// EndpointResult is the outcome to record on one ledger row.
type EndpointResult struct {
	Endpoint     string
	Status       string
	HTTPStatus   int
	EHRReference string
	Duration     time.Duration
	ErrorCode    string
	ErrorReason  string
	Retryable    bool
	// EHRPatientID is set when an identity endpoint succeeded. It is stored
	// on the transaction at once, so a later attempt writes to the same
	// patient even if this one stops before it finishes.
	EHRPatientID string
}

// RecordEndpoint stores one endpoint's outcome and counts the attempt.
func (s *Store) RecordEndpoint(ctx context.Context, id uuid.UUID, r EndpointResult) error {
	updates := map[string]any{
		"status":        r.Status,
		"http_status":   nullableInt(r.HTTPStatus),
		"ehr_reference": r.EHRReference,
		"error_code":    r.ErrorCode,
		"error_reason":  r.ErrorReason,
		"retryable":     r.Retryable,
		"updated_at":    time.Now(),
	}
	if r.Status != "skipped" {
		updates["attempts"] = gorm.Expr("attempts + 1")
		updates["duration_ms"] = int(r.Duration.Milliseconds())
	}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Model(&TransactionEndpoint{}).
			Where("transaction_id = ? AND endpoint = ?", id, r.Endpoint).Updates(updates).Error
		if err != nil || r.EHRPatientID == "" {
			return err
		}
		return tx.Model(&Transaction{}).Where("id = ?", id).Update("ehr_patient_id", r.EHRPatientID).Error
	})
	if err != nil {
		return fmt.Errorf("recording endpoint %s of transaction %s: %w", r.Endpoint, id, err)
	}

	return nil
}

// AttemptEnd is the state of a transaction after one delivery attempt.
type AttemptEnd struct {
	Status       string
	EHRPatientID string
	LastError    string
	// Final marks the transaction finished: no automatic attempt follows.
	Final bool
	// ResponseStatus and Response, when set, are the response that idempotent
	// replays of the request return.
	ResponseStatus int
	Response       []byte
}

// EndAttempt records the end of a delivery attempt and counts it. The
// response is sealed before it is written.
func (s *Store) EndAttempt(ctx context.Context, id uuid.UUID, end AttemptEnd) error {
	now := time.Now()
	updates := map[string]any{
		"status":     end.Status,
		"last_error": end.LastError,
		"attempts":   gorm.Expr("attempts + 1"),
		"updated_at": now,
	}
	if end.EHRPatientID != "" {
		updates["ehr_patient_id"] = end.EHRPatientID
	}
	if end.Final {
		updates["completed_at"] = now
	}
	if len(end.Response) > 0 {
		sealed, err := s.sealColumn(id, columnResponse, end.Response)
		if err != nil {
			return fmt.Errorf("ending attempt of transaction %s: %w", id, err)
		}
		updates["response_status"] = end.ResponseStatus
		updates["response"] = sealed
	}
	err := s.DB.WithContext(ctx).Model(&Transaction{}).Where("id = ?", id).Updates(updates).Error
	if err != nil {
		return fmt.Errorf("ending attempt of transaction %s: %w", id, err)
	}

	return nil
}

func nullableInt(n int) *int {
	if n == 0 {
		return nil
	}

	return &n
}
