package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"golang.org/x/text/language"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

// acceptedBody is the 202 response to an asynchronous send.
type acceptedBody struct {
	Success       bool   `json:"success"`
	TransactionID string `json:"transactionId"`
	JobID         int64  `json:"jobId"`
	Status        string `json:"status"`
	StatusURL     string `json:"statusUrl"`
	Message       string `json:"message"`
	// UnsentFields is omitted from replays, which do not reload the patient.
	UnsentFields []string `json:"unsentFields,omitempty"`
}

// SendAsync validates and plans like SendSync, then stores the transaction,
// its ledger and its delivery job in one database transaction. The send is
// accepted only once all three are committed.
func (a *App) SendAsync(ctx context.Context, req SendRequest) (SendOutcome, error) {
	prepared, err := a.prepareSend(ctx, req, ModeAsync)
	if err != nil {
		return SendOutcome{}, err
	}
	if req.IdempotencyKey != "" {
		if replay, err := a.replayAccepted(ctx, req, prepared.hash); replay != nil || err != nil {
			return derefOutcome(replay), err
		}
	}

	txn, err := prepared.newTransaction(req, ModeAsync)
	if err != nil {
		return SendOutcome{}, internalError(err)
	}
	err = a.storeAccepted(ctx, txn)
	if errors.Is(err, store.ErrIdempotencyKeyUsed) {
		replay, err := a.replayAccepted(ctx, req, prepared.hash)
		return derefOutcome(replay), err
	}
	if err != nil {
		return SendOutcome{}, storeFailure(err)
	}
	a.Logger.InfoContext(ctx, "async send accepted", "transaction_id", txn.ID, "job_id", *txn.JobID, "ehr", prepared.system.Name)

	return a.acceptedOutcome(req.Language, *txn, prepared.unsentFields(req.Patient), false)
}

// acceptedOutcome is the 202 response for a stored asynchronous transaction.
func (a *App) acceptedOutcome(tag language.Tag, txn store.Transaction, unsent []string, replayed bool) (SendOutcome, error) {
	body := acceptedBody{
		Success: true, TransactionID: txn.ID.String(), Status: ehr.StatusQueued,
		StatusURL: "/ehr/transactions/" + txn.ID.String(), Message: a.Catalog.Text(tag, "send.queued"),
		UnsentFields: unsent,
	}
	if txn.JobID != nil {
		body.JobID = *txn.JobID
	}
	encoded, err := json.Marshal(body)
	if err != nil {
		return SendOutcome{}, internalError(fmt.Errorf("encoding response of transaction %s: %w", txn.ID, err))
	}

	return SendOutcome{Status: http.StatusAccepted, Body: encoded, Replayed: replayed}, nil
}

// replayAccepted responds to a repeated asynchronous request: the same 202 as
// the first time, or a 409 when the key was used for another request.
func (a *App) replayAccepted(ctx context.Context, req SendRequest, hash []byte) (*SendOutcome, error) {
	txn, err := a.Store.FindTransactionByIdempotencyKey(ctx, req.IdempotencyKey)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, storeFailure(err)
	}
	if !sameRequest(txn, hash) {
		return nil, newAPIError(http.StatusConflict, "idempotency_conflict")
	}
	outcome, err := a.acceptedOutcome(req.Language, txn, nil, true)

	return &outcome, err
}
