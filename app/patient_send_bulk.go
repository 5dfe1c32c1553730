package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

// bulkRequest is a parsed bulk send: the EHR, the language of messages and
// each patient's raw JSON in input order.
type bulkRequest struct {
	EHRName  string
	Language language.Tag
	Targets  []string
	Patients []json.RawMessage
	// FirstLine is the CSV line of the first patient (2, after the header),
	// or 0 for JSON input.
	FirstLine      int
	IdempotencyKey string
}

type bulkResult struct {
	Index int `json:"index"`
	// Line is the patient's line in an uploaded CSV file.
	Line          int              `json:"line,omitempty"`
	Status        string           `json:"status"`
	TransactionID string           `json:"transactionId,omitempty"`
	JobID         int64            `json:"jobId,omitempty"`
	Errors        []fieldErrorBody `json:"errors,omitempty"`
}

type bulkBody struct {
	// Error and Message are set when no patient was accepted, as in every
	// other error response.
	Error     string       `json:"error,omitempty"`
	Message   string       `json:"message,omitempty"`
	EHRName   string       `json:"ehrName"`
	RequestID string       `json:"requestId,omitempty"`
	Total     int          `json:"total"`
	Accepted  int          `json:"accepted"`
	Rejected  int          `json:"rejected"`
	Results   []bulkResult `json:"results"`
	// replayed marks the stored response to a repeated Idempotency-Key.
	replayed bool
}

// handleSendBulk is POST /ehr/send-patient-data/bulk: validate each patient
// on its own and accept the valid ones, with their delivery jobs, in one
// database transaction. The response lists each input index with its
// transaction id or its field errors. The body is JSON
// {"ehrName", "patients", "language", "targetEndpoints"} or a CSV upload.
func (a *App) handleSendBulk(c echo.Context) error {
	req, err := a.parseBulkRequest(c)
	if err != nil {
		return err
	}
	req.IdempotencyKey = strings.TrimSpace(c.Request().Header.Get("Idempotency-Key"))
	if len(req.IdempotencyKey) > maxIdempotencyKeyLength {
		return invalidFields(ehr.FieldErrors{{Field: "Idempotency-Key", Code: "too_long", Args: []any{maxIdempotencyKeyLength}}})
	}
	// PostgreSQL stores the key as text, which must be valid UTF-8.
	if !utf8.ValidString(req.IdempotencyKey) {
		return invalidFields(ehr.FieldErrors{{Field: "Idempotency-Key", Code: "invalid"}})
	}

	body, err := a.SendBulk(c.Request().Context(), req)
	if err != nil {
		return err
	}
	body.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
	if body.replayed {
		c.Response().Header().Set("Idempotent-Replayed", "true")
	}
	status := http.StatusAccepted
	if body.Accepted == 0 {
		status = http.StatusBadRequest
		body.Error = "validation_failed"
		body.Message = a.Catalog.Text(req.Language, "error.validation_failed")
	}

	return c.JSON(status, body)
}

func (a *App) parseBulkRequest(c echo.Context) (bulkRequest, error) {
	mediaType, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if mediaType == "text/csv" || mediaType == echo.MIMEMultipartForm {
		return a.parseBulkCSV(c, mediaType)
	}

	body, err := decodeJSONObject(c)
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Code == "unsupported_media_type" {
		return bulkRequest{}, newAPIError(http.StatusUnsupportedMediaType, "unsupported_media_type_bulk")
	}
	if err != nil {
		return bulkRequest{}, err
	}
	var errs ehr.FieldErrors
	req := bulkRequest{Language: a.setRequestLanguage(c, body.stringField("language", false, &errs))}
	errs = append(errs, body.unknownKeys("ehrName", "patients", "language", "targetEndpoints")...)
	req.EHRName = strings.TrimSpace(body.stringField("ehrName", true, &errs))
	req.Targets = body.stringListField("targetEndpoints", &errs)
	if !body.present("patients") {
		errs = append(errs, ehr.FieldError{Field: "patients", Code: "required"})
	} else if err := json.Unmarshal(body["patients"], &req.Patients); err != nil {
		errs = append(errs, ehr.FieldError{Field: "patients", Code: "must_be_list"})
	}

	return req, a.checkBulkSize(req, errs)
}

// checkBulkSize rejects an empty or oversized batch along with any other
// request-level errors.
func (a *App) checkBulkSize(req bulkRequest, errs ehr.FieldErrors) error {
	switch {
	case len(errs) > 0:
	case len(req.Patients) == 0:
		errs = append(errs, ehr.FieldError{Field: "patients", Code: "required"})
	case len(req.Patients) > a.Config.BulkMaxPatients:
		errs = append(errs, ehr.FieldError{Field: "patients", Code: "too_many_items", Args: []any{a.Config.BulkMaxPatients}})
	}
	if len(errs) > 0 {
		return invalidFields(errs)
	}

	return nil
}

// SendBulk validates and plans each patient, then stores every valid one
// with its delivery job in one database transaction.
func (a *App) SendBulk(ctx context.Context, req bulkRequest) (bulkBody, error) {
	entry, err := a.lookupMapping(ctx, req.EHRName)
	if err != nil {
		return bulkBody{}, err
	}
	system, mapping := entry.System, entry.Mapping

	body := bulkBody{EHRName: system.Name, Total: len(req.Patients), Results: make([]bulkResult, len(req.Patients))}
	var accepted []*store.Transaction
	var acceptedIndex []int
	now := time.Now()
	for i, raw := range req.Patients {
		txn, fieldErrs, err := a.prepareBulkPatient(system, mapping, req, raw, now)
		if err != nil {
			return bulkBody{}, internalError(err)
		}
		body.Results[i] = bulkResult{Index: i, Line: csvLine(req, i)}
		if len(fieldErrs) > 0 {
			body.Results[i].Status = "rejected"
			body.Results[i].Errors = a.fieldErrorBodies(req.Language, fieldErrs.Prefixed(fmt.Sprintf("patients[%d].", i)))
			body.Rejected++
			continue
		}
		accepted = append(accepted, txn)
		acceptedIndex = append(acceptedIndex, i)
	}

	stored, replayed, err := a.storeBulk(ctx, req, accepted, acceptedIndex)
	if err != nil {
		return bulkBody{}, err
	}
	for k, txn := range stored {
		index := acceptedIndex[k]
		body.Results[index] = bulkResult{
			Index: index, Line: csvLine(req, index), Status: ehr.StatusQueued, TransactionID: txn.ID.String(), JobID: *txn.JobID,
		}
	}
	body.Accepted, body.replayed = len(stored), replayed
	a.Logger.InfoContext(ctx, "bulk send accepted", "ehr", system.Name, "accepted", body.Accepted, "rejected", body.Rejected, "replayed", replayed)

	return body, nil
}

// csvLine is the CSV line of patient index, or 0 for JSON input.
func csvLine(req bulkRequest, index int) int {
	if req.FirstLine == 0 {
		return 0
	}

	return req.FirstLine + index
}

// storeBulk stores the accepted transactions with their jobs. With an
// Idempotency-Key, each one is keyed "<key>#<index>", and a repeated
// request gets the transactions stored the first time (replayed) instead
// of new ones, or a 409 when it requests something else.
func (a *App) storeBulk(ctx context.Context, req bulkRequest, accepted []*store.Transaction, indexes []int) ([]*store.Transaction, bool, error) {
	if len(accepted) == 0 {
		return nil, false, nil
	}
	if req.IdempotencyKey != "" {
		for k, txn := range accepted {
			key := fmt.Sprintf("%s#%d", req.IdempotencyKey, indexes[k])
			txn.IdempotencyKey = &key
		}
		if stored, err := a.replayBulk(ctx, req.IdempotencyKey, accepted); stored != nil || err != nil {
			return stored, true, err
		}
	}

	err := a.Store.CreateTransactions(ctx, accepted, a.enqueueDeliveries())
	if errors.Is(err, store.ErrIdempotencyKeyUsed) {
		stored, err := a.replayBulk(ctx, req.IdempotencyKey, accepted)
		return stored, true, err
	}
	if err != nil {
		return nil, false, storeFailure(err)
	}

	return accepted, false, nil
}

// replayBulk returns the transactions a first request with key stored, in
// the order of accepted, or nil when there are none. Each must have been
// created from the same patient under the same key suffix.
func (a *App) replayBulk(ctx context.Context, key string, accepted []*store.Transaction) ([]*store.Transaction, error) {
	existing, err := a.Store.FindTransactionsByIdempotencyPrefix(ctx, key+"#")
	if err != nil {
		return nil, storeFailure(err)
	}
	if len(existing) == 0 {
		return nil, nil
	}
	byKey := make(map[string]store.Transaction, len(existing))
	for _, txn := range existing {
		byKey[*txn.IdempotencyKey] = txn
	}
	if len(byKey) != len(accepted) {
		return nil, newAPIError(http.StatusConflict, "idempotency_conflict")
	}

	stored := make([]*store.Transaction, len(accepted))
	for k, txn := range accepted {
		first, ok := byKey[*txn.IdempotencyKey]
		if !ok || !sameRequest(first, txn.RequestHash) || first.JobID == nil {
			return nil, newAPIError(http.StatusConflict, "idempotency_conflict")
		}
		stored[k] = &first
	}

	return stored, nil
}

// prepareBulkPatient validates and plans one patient of a batch. Field
// errors reject that patient only; an error fails the whole request.
func (a *App) prepareBulkPatient(system store.System, mapping ehr.Mapping, req bulkRequest, raw json.RawMessage, now time.Time) (*store.Transaction, ehr.FieldErrors, error) {
	patient, fieldErrs := ehr.DecodeAndValidatePatient(raw, now)
	if len(fieldErrs) > 0 {
		return nil, fieldErrs, nil
	}
	plan, planErrs := ehr.PlanDelivery(mapping.Config, patient, req.Targets)
	if len(planErrs) > 0 {
		return nil, planErrs, nil
	}

	send := SendRequest{EHRName: system.Name, Patient: patient, Targets: req.Targets, Language: req.Language}
	hash, err := requestHash(system, send, ModeBulk)
	if err != nil {
		return nil, nil, err
	}
	prepared := preparedSend{system: system, mapping: mapping, plan: plan, hash: hash}
	txn, err := prepared.newTransaction(send, ModeBulk)

	return txn, nil, err
}

// fieldErrorBodies renders field errors in the request's language.
func (a *App) fieldErrorBodies(tag language.Tag, errs ehr.FieldErrors) []fieldErrorBody {
	out := make([]fieldErrorBody, len(errs))
	for i, fe := range errs {
		out[i] = fieldErrorBody{Field: fe.Field, Code: fe.Code, Message: a.Catalog.FieldMessage(tag, fe)}
	}

	return out
}
