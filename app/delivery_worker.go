package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

// deliveryWorker works delivery jobs.
type deliveryWorker struct {
	river.WorkerDefaults[deliveryArgs]
	app         *App
	retryPolicy *backoffPolicy
	// requestedWaits carries the Retry-After of a failed attempt from Work
	// to NextRetry, keyed by job id.
	requestedWaits requestedWaits
}

// Work runs one delivery attempt. A returned error makes River retry the
// job after the backoff, or after the EHR's Retry-After when it is longer;
// river.JobCancel stops it for good.
func (w *deliveryWorker) Work(ctx context.Context, job *river.Job[deliveryArgs]) error {
	id, err := uuid.Parse(job.Args.TransactionID)
	if err != nil {
		return river.JobCancel(fmt.Errorf("job %d has an invalid transaction id", job.ID))
	}

	err = w.app.deliverQueued(withJobID(ctx, job.ID), id, job.Attempt >= job.MaxAttempts)
	w.requestedWaits.keep(job.ID, err)

	return err
}

// NOTE: a job whose process died during its last allowed attempt is
// discarded by River's rescuer without running this worker again. Its
// transaction then keeps the status queued or processing until a retry of
// that job (POST /ehr/queue/retry/:jobId) moves it on.

// deliverQueued sends the endpoints of a stored transaction that are still
// pending or failed retryably, with the mapping version pinned at
// acceptance, and records the outcome. lastAttempt makes remaining
// retryable failures final: the transaction becomes dead.
func (a *App) deliverQueued(ctx context.Context, id uuid.UUID, lastAttempt bool) error {
	txn, err := a.Store.FindTransaction(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("transaction %s does not exist", id))
	}
	if err != nil {
		return err
	}
	if txn.Status == ehr.StatusSucceeded {
		return nil
	}
	if txn.PayloadUnreadable() {
		return a.cancelUndeliverable(ctx, txn, unreadablePayloadReason)
	}
	if txn.PayloadPurged() {
		return a.cancelPurgedDelivery(ctx, txn)
	}

	attempt, err := a.loadAttempt(ctx, txn)
	if err != nil {
		return err
	}
	if err := a.Store.SetTransactionStatus(ctx, id, ehr.StatusProcessing, txn.LastError); err != nil {
		return err
	}
	outcomes, patientID := a.deliver(ctx, attempt.system, id, attempt.patient, attempt.plan, attempt.patientID)

	// The attempt is recorded even when the job was cancelled mid-delivery.
	return a.endQueuedAttempt(context.WithoutCancel(ctx), txn, attempt, outcomes, patientID, lastAttempt)
}

// queuedAttempt is the state one attempt needs, loaded from the stored
// transaction.
type queuedAttempt struct {
	system    store.System
	patient   *ehr.Patient
	plan      ehr.Plan
	patientID string
	// succeeded and permanent count ledger rows not sent this attempt.
	succeeded int
	permanent []string
}

func (a *App) loadAttempt(ctx context.Context, txn store.Transaction) (queuedAttempt, error) {
	system, mapping, err := a.pinnedMapping(ctx, txn)
	if err != nil {
		return queuedAttempt{}, err
	}
	// UseNumber keeps numbers in answers as written, as a synchronous send
	// delivers them, instead of rounding them through float64.
	var payload storedPayload
	decoder := json.NewDecoder(bytes.NewReader(txn.Payload))
	decoder.UseNumber()
	if err := decoder.Decode(&payload); err != nil || payload.PatientData == nil {
		return queuedAttempt{}, river.JobCancel(fmt.Errorf("payload of transaction %s cannot be decoded", txn.ID))
	}

	attempt := queuedAttempt{system: system, patient: payload.PatientData, patientID: txn.EHRPatientID}
	if attempt.patientID == "" {
		attempt.patientID = payload.PatientData.Identifiers.EHRPatientID
	}
	attempt.plan = remainingPlan(mapping.Config, txn.Endpoints, &attempt)

	return attempt, nil
}

// remainingPlan rebuilds the plan from the ledger, keeping only endpoints
// that are pending or whose last failure was retryable.
func remainingPlan(config ehr.Config, ledger []store.TransactionEndpoint, attempt *queuedAttempt) ehr.Plan {
	plan := ehr.Plan{IdentityIndex: -1}
	for _, row := range ledger {
		switch {
		case row.Status == ehr.EndpointSucceeded:
			attempt.succeeded++
			continue
		case row.Status != ehr.EndpointPending && !row.Retryable:
			attempt.permanent = append(attempt.permanent, row.Endpoint)
			continue
		}
		endpoint, ok := config.EndpointNamed(row.Endpoint)
		if !ok {
			attempt.permanent = append(attempt.permanent, row.Endpoint)
			continue
		}
		if endpoint.IdentifiesPatient {
			plan.IdentityIndex = len(plan.Endpoints)
		}
		plan.Endpoints = append(plan.Endpoints, ehr.PlannedEndpoint{Endpoint: endpoint, Position: row.Position})
	}
	for i := range plan.Endpoints {
		plan.Endpoints[i].DependsOnIdentity = plan.IdentityIndex >= 0 && i != plan.IdentityIndex
	}

	return plan
}

// endQueuedAttempt records the attempt's result and returns River's next
// step: nothing when every endpoint succeeded, retry while retryable
// failures remain, stop when only permanent failures remain.
func (a *App) endQueuedAttempt(ctx context.Context, txn store.Transaction, attempt queuedAttempt, outcomes []ehr.Outcome, patientID string, lastAttempt bool) error {
	succeeded, retryable := attempt.succeeded, 0
	for _, outcome := range outcomes {
		switch {
		case outcome.Status == ehr.EndpointSucceeded:
			succeeded++
		case outcome.Err != nil && outcome.Err.Retryable():
			retryable++
		}
	}
	total := len(txn.Endpoints)
	end := store.AttemptEnd{EHRPatientID: patientID, LastError: lastError(outcomes), Final: true}
	if end.LastError == "" && len(attempt.permanent) > 0 {
		end.LastError = txn.LastError
	}

	var next error
	switch {
	case succeeded == total:
		end.Status = ehr.StatusSucceeded
	case retryable > 0 && !lastAttempt:
		end.Status, end.Final = ehr.StatusQueued, false
		next = fmt.Errorf("%d of %d endpoints not delivered yet: %s", total-succeeded, total, end.LastError)
		next = withRequestedWait(next, outcomes)
	case retryable > 0:
		end.Status = ehr.StatusDead
		end.LastError = "gave up after the last attempt: " + end.LastError
		next = errors.New(end.LastError)
	default:
		end.Status = ehr.SummarizeCounts(succeeded, total)
		next = river.JobCancel(fmt.Errorf("%d of %d endpoints failed permanently: %s", total-succeeded, total, end.LastError))
	}

	if err := a.Store.EndAttempt(ctx, txn.ID, end); err != nil {
		return err
	}
	a.Logger.InfoContext(ctx, "delivery attempt finished", "transaction_id", txn.ID, "ehr", attempt.system.Name, "status", end.Status,
		"succeeded", succeeded, "total", total)

	return next
}

// pinnedMapping returns the EHR system and the mapping version recorded at
// acceptance: from the cache when that version is still the current one,
// from PostgreSQL otherwise.
func (a *App) pinnedMapping(ctx context.Context, txn store.Transaction) (store.System, ehr.Mapping, error) {
	entry, err := a.Cache.Get(ctx, txn.EHRName)
	if err == nil && entry.System.ID == txn.EHRSystemID && entry.Mapping.Version == txn.MappingVersion {
		return entry.System, entry.Mapping, nil
	}

	system, err := a.Store.FindSystemByID(ctx, txn.EHRSystemID)
	if err != nil {
		return store.System{}, ehr.Mapping{}, err
	}
	row, err := a.Store.Mapping(ctx, system.ID, txn.MappingVersion)
	if err != nil {
		return store.System{}, ehr.Mapping{}, err
	}
	mapping, err := toMapping(system, row)
	if err != nil {
		return store.System{}, ehr.Mapping{}, river.JobCancel(err)
	}

	return system, mapping, nil
}
