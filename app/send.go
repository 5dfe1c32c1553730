package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/google/uuid"
	"golang.org/x/text/language"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

// Send modes recorded on a transaction.
const (
	ModeSync  = "sync"
	ModeAsync = "async"
	ModeBulk  = "bulk"
)

// SendRequest is one validated patient to deliver to one EHR.
type SendRequest struct {
	EHRName        string
	Patient        *ehr.Patient
	Targets        []string
	Language       language.Tag
	IdempotencyKey string
}

// storedPayload is the part of a request a transaction keeps, enough to
// deliver it again.
type storedPayload struct {
	PatientData     *ehr.Patient `json:"patientData"`
	TargetEndpoints []string     `json:"targetEndpoints,omitempty"`
}

// SendOutcome is the response to a synchronous send: an HTTP status and the
// JSON body, which is stored for idempotent replays.
type SendOutcome struct {
	Status   int
	Body     []byte
	Replayed bool
}

// SendSync records a transaction, delivers it to every planned endpoint
// and records each outcome. A request with an idempotency key already seen
// returns the first response without sending again.
func (a *App) SendSync(ctx context.Context, req SendRequest) (SendOutcome, error) {
	prepared, err := a.prepareSend(ctx, req, ModeSync)
	if err != nil {
		return SendOutcome{}, err
	}
	txn, replay, err := a.recordTransaction(ctx, req, prepared)
	if err != nil || replay != nil {
		return derefOutcome(replay), err
	}

	// The send goes on if the client disconnects: the transaction is
	// recorded and each endpoint's outcome must be too.
	deliverCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.Config.SyncSendTimeout)
	defer cancel()
	outcomes, patientID := a.deliver(deliverCtx, prepared.system, txn.ID, req.Patient, prepared.plan, req.Patient.Identifiers.EHRPatientID)

	return a.finishSync(deliverCtx, txn, req, prepared, outcomes, patientID)
}

func derefOutcome(outcome *SendOutcome) SendOutcome {
	if outcome == nil {
		return SendOutcome{}
	}

	return *outcome
}

// preparedSend is a validated request resolved against its EHR system and
// the current mapping, ready to be stored.
type preparedSend struct {
	system  store.System
	mapping ehr.Mapping
	plan    ehr.Plan
	hash    []byte
}

// prepareSend finds the EHR system and its current mapping (through the
// cache) and plans the delivery. Every error is a response for the client (404, 400 or 503).
func (a *App) prepareSend(ctx context.Context, req SendRequest, mode string) (preparedSend, error) {
	entry, err := a.lookupMapping(ctx, req.EHRName)
	if err != nil {
		return preparedSend{}, err
	}
	system, mapping := entry.System, entry.Mapping
	plan, fieldErrs := ehr.PlanDelivery(mapping.Config, req.Patient, req.Targets)
	if len(fieldErrs) > 0 {
		return preparedSend{}, invalidFields(fieldErrs)
	}
	hash, err := requestHash(system, req, mode)
	if err != nil {
		return preparedSend{}, internalError(err)
	}

	return preparedSend{system: system, mapping: mapping, plan: plan, hash: hash}, nil
}

// recordTransaction stores the transaction and its ledger before anything
// is sent. When the idempotency key was used before, it returns the stored
// response instead.
func (a *App) recordTransaction(ctx context.Context, req SendRequest, prepared preparedSend) (*store.Transaction, *SendOutcome, error) {
	if req.IdempotencyKey != "" {
		replay, err := a.replayIdempotent(ctx, req.IdempotencyKey, prepared.hash)
		if replay != nil || err != nil {
			return nil, replay, err
		}
	}

	txn, err := prepared.newTransaction(req, ModeSync)
	if err != nil {
		return nil, nil, internalError(err)
	}
	err = a.Store.CreateTransaction(ctx, txn, nil)
	if errors.Is(err, store.ErrIdempotencyKeyUsed) {
		// A request with the same key was recorded between the lookup and
		// the insert.
		replay, err := a.replayIdempotent(ctx, req.IdempotencyKey, prepared.hash)
		return nil, replay, err
	}
	if err != nil {
		return nil, nil, storeFailure(err)
	}

	return txn, nil, nil
}

// newTransaction builds the transaction row and its pending ledger rows.
// Synchronous sends start processing at once; the others wait in the queue.
func (p preparedSend) newTransaction(req SendRequest, mode string) (*store.Transaction, error) {
	id, err := store.NewTransactionID()
	if err != nil {
		return nil, fmt.Errorf("creating transaction id: %w", err)
	}
	payload, err := json.Marshal(storedPayload{PatientData: req.Patient, TargetEndpoints: req.Targets})
	if err != nil {
		return nil, fmt.Errorf("encoding payload of transaction %s: %w", id, err)
	}

	status := ehr.StatusQueued
	if mode == ModeSync {
		status = ehr.StatusProcessing
	}
	txn := &store.Transaction{
		ID: id, EHRSystemID: p.system.ID, EHRName: p.system.Name, Mode: mode,
		Status: status, MappingVersion: p.mapping.Version, RequestHash: p.hash,
		EHRPatientID: req.Patient.Identifiers.EHRPatientID, Language: req.Language.String(), Payload: payload,
	}
	if req.IdempotencyKey != "" {
		txn.IdempotencyKey = &req.IdempotencyKey
	}
	for _, planned := range p.plan.Endpoints {
		txn.Endpoints = append(txn.Endpoints, store.TransactionEndpoint{
			Endpoint: planned.Endpoint.Name, Position: planned.Position,
			IdentifiesPatient: planned.Endpoint.IdentifiesPatient, Status: ehr.EndpointPending,
		})
	}

	return txn, nil
}

// deliver sends along plan and records each endpoint's outcome as it comes.
// patientID is the EHR's patient id when already known.
func (a *App) deliver(ctx context.Context, system store.System, txnID uuid.UUID, patient *ehr.Patient, plan ehr.Plan, patientID string) ([]ehr.Outcome, string) {
	identity := ""
	if plan.IdentityIndex >= 0 {
		identity = plan.Endpoints[plan.IdentityIndex].Endpoint.Name
	}
	// Outcomes are recorded even when ctx ends mid-delivery (a job cut short
	// at shutdown): a call that left must show in the ledger.
	recordCtx := context.WithoutCancel(ctx)
	record := func(outcome ehr.Outcome) {
		a.recordOutcome(recordCtx, txnID, system, outcome, outcome.Endpoint == identity)
	}

	integration, err := a.Integrations.For(system)
	if err != nil {
		a.Logger.ErrorContext(ctx, "EHR system cannot be used", "ehr", system.Name, "transaction_id", txnID, "error", err)
		return configFailure(plan, record), patientID
	}

	return ehr.Deliver(ctx, ehr.Delivery{
		Integration:       integration,
		Plan:              plan,
		Patient:           patient,
		PracticeID:        system.PracticeID,
		PatientID:         patientID,
		IdempotencyPrefix: txnID.String(),
		OnOutcome:         record,
	})
}

// configFailure fails every planned endpoint of a system whose settings
// cannot be used, such as one without a base URL.
func configFailure(plan ehr.Plan, record func(ehr.Outcome)) []ehr.Outcome {
	outcomes := make([]ehr.Outcome, len(plan.Endpoints))
	for i, planned := range plan.Endpoints {
		outcomes[i] = ehr.Outcome{
			Endpoint: planned.Endpoint.Name,
			Status:   ehr.EndpointFailed,
			Err: &ehr.CallError{
				Class: ehr.FailurePermanent, Code: ehr.CallCodeConfig,
				Reason: "EHR system settings are incomplete or invalid",
			},
		}
		record(outcomes[i])
	}

	return outcomes
}

func (a *App) recordOutcome(ctx context.Context, txnID uuid.UUID, system store.System, outcome ehr.Outcome, identifies bool) {
	result := store.EndpointResult{
		Endpoint: outcome.Endpoint, Status: outcome.Status, HTTPStatus: outcome.HTTPStatus,
		EHRReference: outcome.Reference, Duration: outcome.Duration,
	}
	if identifies && outcome.Status == ehr.EndpointSucceeded {
		result.EHRPatientID = outcome.PatientID
	}
	a.metrics.sends.WithLabelValues(system.Name, outcome.Endpoint, outcome.Status).Inc()
	if outcome.Duration > 0 {
		a.metrics.ehrCalls.WithLabelValues(system.Name, outcome.Endpoint).Observe(outcome.Duration.Seconds())
	}
	if outcome.Err != nil {
		result.ErrorCode, result.ErrorReason, result.Retryable = outcome.Err.Code, outcome.Err.Reason, outcome.Err.Retryable()
		a.Logger.WarnContext(ctx, "EHR endpoint not delivered", "transaction_id", txnID, "ehr", system.Name,
			"endpoint", outcome.Endpoint, "status", outcome.Status, "code", outcome.Err.Code, "http_status", outcome.HTTPStatus)
	}
	if err := a.Store.RecordEndpoint(ctx, txnID, result); err != nil {
		a.Logger.ErrorContext(ctx, "recording endpoint outcome failed", "transaction_id", txnID, "endpoint", outcome.Endpoint, "error", err)
	}
}

// finishSync records the transaction's final status and the response that
// idempotent replays return.
func (a *App) finishSync(ctx context.Context, txn *store.Transaction, req SendRequest, prepared preparedSend, outcomes []ehr.Outcome, patientID string) (SendOutcome, error) {
	status := ehr.SummarizeOutcomes(outcomes)
	httpStatus := sendHTTPStatus(status)
	body, err := json.Marshal(a.sendResponse(req.Language, txn, prepared, req.Patient, status, outcomes, patientID))
	if err != nil {
		return SendOutcome{}, internalError(fmt.Errorf("encoding response of transaction %s: %w", txn.ID, err))
	}

	err = a.Store.EndAttempt(ctx, txn.ID, store.AttemptEnd{
		Status: status, EHRPatientID: patientID, LastError: lastError(outcomes), Final: true,
		ResponseStatus: httpStatus, Response: body,
	})
	if err != nil {
		// Every endpoint outcome is already recorded; only the summary row
		// is stale, so the client still gets the real result.
		a.Logger.ErrorContext(ctx, "recording transaction result failed", "transaction_id", txn.ID, "error", err)
	}
	a.Logger.InfoContext(ctx, "sync send finished", "transaction_id", txn.ID, "ehr", txn.EHRName, "status", status)

	return SendOutcome{Status: httpStatus, Body: body}, nil
}

// sendHTTPStatus is 200 when every endpoint succeeded, 207 when some did
// and 502 when none did.
func sendHTTPStatus(status string) int {
	switch status {
	case ehr.StatusSucceeded:
		return http.StatusOK
	case ehr.StatusPartiallyFailed:
		return http.StatusMultiStatus
	default:
		return http.StatusBadGateway
	}
}

// lastError is the first failure's sanitized reason, shown in lists.
func lastError(outcomes []ehr.Outcome) string {
	for _, outcome := range outcomes {
		if outcome.Err != nil {
			return outcome.Endpoint + ": " + outcome.Err.Reason
		}
	}

	return ""
}
