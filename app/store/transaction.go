package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Transaction is one send of one patient to one EHR (a row of
// transactions). Payload is the validated request as JSON.
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
	Endpoints      []TransactionEndpoint `gorm:"foreignKey:TransactionID"`
}

// TableName names Transaction's table for gorm.
func (Transaction) TableName() string { return "transactions" }

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
	Attempts          int
	UpdatedAt         time.Time
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

// CreateTransaction inserts a transaction and its ledger rows in one
// database transaction. A duplicate idempotency key gives
// ErrIdempotencyKeyUsed and writes nothing.
func (s *Store) CreateTransaction(ctx context.Context, t *Transaction) error {
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return tx.Create(t).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return ErrIdempotencyKeyUsed
	}
	if err != nil {
		return fmt.Errorf("creating transaction %s: %w", t.ID, err)
	}

	return nil
}

// FindTransaction returns a transaction with its ledger rows in position
// order.
func (s *Store) FindTransaction(ctx context.Context, id uuid.UUID) (Transaction, error) {
	var t Transaction
	err := s.DB.WithContext(ctx).
		Preload("Endpoints", func(db *gorm.DB) *gorm.DB { return db.Order("position") }).
		Take(&t, "id = ?", id).Error

	return t, notFoundOr(err, "loading transaction "+id.String())
}

// FindTransactionByIdempotencyKey returns the transaction that used key.
func (s *Store) FindTransactionByIdempotencyKey(ctx context.Context, key string) (Transaction, error) {
	var t Transaction
	err := s.DB.WithContext(ctx).Take(&t, "idempotency_key = ?", key).Error

	return t, notFoundOr(err, "loading transaction by idempotency key")
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
}

// RecordEndpoint stores one endpoint's outcome and counts the attempt.
func (s *Store) RecordEndpoint(ctx context.Context, id uuid.UUID, r EndpointResult) error {
	updates := map[string]any{
		"status":        r.Status,
		"http_status":   nullableInt(r.HTTPStatus),
		"ehr_reference": r.EHRReference,
		"error_code":    r.ErrorCode,
		"error_reason":  r.ErrorReason,
		"updated_at":    time.Now(),
	}
	if r.Status != "skipped" {
		updates["attempts"] = gorm.Expr("attempts + 1")
		updates["duration_ms"] = int(r.Duration.Milliseconds())
	}
	err := s.DB.WithContext(ctx).Model(&TransactionEndpoint{}).
		Where("transaction_id = ? AND endpoint = ?", id, r.Endpoint).Updates(updates).Error
	if err != nil {
		return fmt.Errorf("recording endpoint %s of transaction %s: %w", r.Endpoint, id, err)
	}

	return nil
}

// TransactionFinish is the final state of one delivery attempt.
type TransactionFinish struct {
	Status         string
	EHRPatientID   string
	LastError      string
	ResponseStatus int
	Response       []byte
}

// FinishAttempt records the end of a delivery attempt.
func (s *Store) FinishAttempt(ctx context.Context, id uuid.UUID, f TransactionFinish) error {
	now := time.Now()
	updates := map[string]any{
		"status":          f.Status,
		"ehr_patient_id":  f.EHRPatientID,
		"last_error":      f.LastError,
		"response_status": nullableInt(f.ResponseStatus),
		"response":        nullableBytes(f.Response),
		"attempts":        gorm.Expr("attempts + 1"),
		"updated_at":      now,
		"completed_at":    now,
	}
	err := s.DB.WithContext(ctx).Model(&Transaction{}).Where("id = ?", id).Updates(updates).Error
	if err != nil {
		return fmt.Errorf("finishing transaction %s: %w", id, err)
	}

	return nil
}

func nullableInt(n int) *int {
	if n == 0 {
		return nil
	}

	return &n
}

func nullableBytes(raw []byte) any {
	if len(raw) == 0 {
		return nil
	}

	return raw
}
