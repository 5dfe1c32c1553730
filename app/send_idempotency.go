package app

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"ehrbridge/app/store"
)

// maxIdempotencyKeyLength bounds the Idempotency-Key header.
const maxIdempotencyKeyLength = 200

// requestHash fingerprints the content of a request (EHR, mode, normalized
// patient, targets), so a reused idempotency key with a different request
// is distinguished from a retry of the same one.
func requestHash(system store.System, req SendRequest, mode string) ([]byte, error) {
	canonical, err := json.Marshal(struct {
		EHRSystemID int64
		Mode        string
		Payload     storedPayload
	}{system.ID, mode, storedPayload{PatientData: req.Patient, TargetEndpoints: req.Targets}})
	if err != nil {
		return nil, fmt.Errorf("encoding request for its hash: %w", err)
	}
	sum := sha256.Sum256(canonical)

	return sum[:], nil
}

// replayIdempotent returns the stored response of the synchronous send that
// used key: nil when none did, 409 when it was used for a different request
// or its send has not finished.
func (a *App) replayIdempotent(ctx context.Context, key string, hash []byte) (*SendOutcome, error) {
	txn, err := a.Store.FindTransactionByIdempotencyKey(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, storeFailure(err)
	}
	if !sameRequest(txn, hash) {
		return nil, newAPIError(http.StatusConflict, "idempotency_conflict")
	}

	return a.replayStored(txn)
}

// replayStored returns a synchronous send's stored response, or a 409 while
// that send is still running.
func (a *App) replayStored(txn store.Transaction) (*SendOutcome, error) {
	if txn.PayloadUnreadable() {
		return nil, newAPIError(http.StatusConflict, "payload_unreadable", txn.ID.String())
	}
	if txn.ResponseStatus == nil || len(txn.Response) == 0 {
		return nil, newAPIError(http.StatusConflict, "idempotency_in_progress", txn.ID.String())
	}

	return &SendOutcome{Status: *txn.ResponseStatus, Body: txn.Response, Replayed: true}, nil
}

// sameRequest reports whether a stored transaction was created by a
// request with this hash.
func sameRequest(txn store.Transaction, hash []byte) bool {
	return subtle.ConstantTimeCompare(txn.RequestHash, hash) == 1
}
