package app

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"ehrbridge/ehr"
)

// sendRequestFields are the keys a send request body may contain.
var sendRequestFields = []string{"ehrName", "patientData", "language", "targetEndpoints"}

// handleSendPatientData is POST /ehr/send-patient-data: validate, deliver
// to every planned endpoint, answer 200, 207 or 502 with each endpoint's
// outcome.
func (a *App) handleSendPatientData(c echo.Context) error {
	req, err := a.parseSendRequest(c)
	if err != nil {
		return err
	}

	outcome, err := a.SendSync(c.Request().Context(), req)
	if err != nil {
		return err
	}
	return writeSendOutcome(c, outcome)
}

// parseSendRequest decodes and validates a send request, reporting every
// invalid field at once.
func (a *App) parseSendRequest(c echo.Context) (SendRequest, error) {
	body, err := decodeJSONObject(c)
	if err != nil {
		return SendRequest{}, err
	}

	var fieldErrs ehr.FieldErrors
	requested := body.stringField("language", false, &fieldErrs)
	req := SendRequest{Language: a.setRequestLanguage(c, requested)}
	fieldErrs = append(fieldErrs, body.unknownKeys(sendRequestFields...)...)
	req.EHRName = strings.TrimSpace(body.stringField("ehrName", true, &fieldErrs))
	req.Targets = body.stringListField("targetEndpoints", &fieldErrs)

	if raw := body.objectField("patientData", true, &fieldErrs); raw != nil {
		patient, patientErrs := ehr.DecodeAndValidatePatient(raw, time.Now())
		fieldErrs = append(fieldErrs, patientErrs.Prefixed("patientData.")...)
		req.Patient = patient
	}
	if len(fieldErrs) > 0 {
		return SendRequest{}, invalidFields(fieldErrs)
	}

	req.IdempotencyKey = strings.TrimSpace(c.Request().Header.Get("Idempotency-Key"))
	if len(req.IdempotencyKey) > maxIdempotencyKeyLength {
		return SendRequest{}, invalidFields(ehr.FieldErrors{{Field: "Idempotency-Key", Code: "too_long", Args: []any{maxIdempotencyKeyLength}}})
	}
	// PostgreSQL stores the key as text, which must be valid UTF-8.
	if !utf8.ValidString(req.IdempotencyKey) {
		return SendRequest{}, invalidFields(ehr.FieldErrors{{Field: "Idempotency-Key", Code: "invalid"}})
	}

	return req, nil
}
