package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"ehrbridge/ehr"
	"ehrbridge/views"
)

// handleSendPageSubmit is POST /send: build the patient from the form,
// validate it as the API does, and either show the errors beside their
// fields or send it (now or through the queue) and show the result.
func (a *App) handleSendPageSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	params, err := c.FormParams()
	if err != nil {
		return sendFormReadError(err)
	}
	if op := params.Get("op"); op != "" {
		return a.sendPageListOp(c, params, op)
	}
	input := readSendForm(params)
	tag := a.requestLanguage(c)
	systems, err := a.sendSystemNames(ctx)
	if err != nil {
		return err
	}

	req, fieldErrs, err := a.sendPageRequest(input, tag, systems)
	if err != nil {
		return err
	}
	var result *views.SendResult
	if len(fieldErrs) == 0 {
		if result, fieldErrs, err = a.sendPageDeliver(ctx, req, input.mode == ModeAsync); err != nil {
			return err
		}
	}

	form, err := a.sendForm(ctx, input, systems)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if len(fieldErrs) > 0 {
		form.Errors, form.Summary = a.sendFormErrors(tag, fieldErrs)
		status = http.StatusUnprocessableEntity
	}

	return a.renderSendPage(c, status, form, result)
}

// sendFormReadError is the error for a form body that could not be read.
func sendFormReadError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return newAPIError(http.StatusRequestEntityTooLarge, "body_too_large")
	}

	return newAPIError(http.StatusBadRequest, "bad_request")
}

// sendPageRequest decodes and validates the form's patient exactly as the
// API does, and checks that the EHR is one of systems.
func (a *App) sendPageRequest(input sendFormInput, tag language.Tag, systems []string) (SendRequest, ehr.FieldErrors, error) {
	raw, err := input.patientJSON()
	if err != nil {
		return SendRequest{}, nil, internalError(fmt.Errorf("encoding the form's patient: %w", err))
	}
	patient, fieldErrs := ehr.DecodeAndValidatePatient(raw, time.Now())

	ehrName, found := sendFindSystem(systems, input.ehrName)
	switch {
	case input.ehrName == "":
		fieldErrs = append(fieldErrs, ehr.FieldError{Field: "ehrName", Code: ehr.FieldCodeRequired})
	case !found:
		fieldErrs = append(fieldErrs, ehr.FieldError{Field: "ehrName", Code: "invalid_choice", Args: []any{strings.Join(systems, ", ")}})
	}

	return SendRequest{EHRName: ehrName, Patient: patient, Targets: input.targets, Language: tag}, fieldErrs, nil
}

// sendFindSystem returns the configured name that matches name
// case-insensitively.
func sendFindSystem(systems []string, name string) (string, bool) {
	for _, system := range systems {
		if strings.EqualFold(system, name) {
			return system, true
		}
	}

	return name, false
}

// sendPageDeliver sends a valid request. Field errors found on the way
// (an endpoint choice the mapping cannot plan) are returned for the form;
// other failures are returned as errors.
func (a *App) sendPageDeliver(ctx context.Context, req SendRequest, async bool) (*views.SendResult, ehr.FieldErrors, error) {
	send := a.SendSync
	if async {
		send = a.SendAsync
	}
	outcome, err := send(ctx, req)
	var apiErr *APIError
	if errors.As(err, &apiErr) && len(apiErr.Fields) > 0 {
		return nil, apiErr.Fields, nil
	}
	if err != nil {
		return nil, nil, err
	}
	result, err := sendPageResult(outcome, req, async)

	return result, nil, err
}
