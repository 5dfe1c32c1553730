package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"ehrbridge/views"
)

// handleBulkSubmit is POST /bulk/submit: read the checked file back from
// the form, parse and validate it again, and accept the valid patients
// with App.SendBulk. The response lists each row's transaction or errors
// and the delivery progress.
func (a *App) handleBulkSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := a.bulkForm(ctx, strings.TrimSpace(c.FormValue("ehrName")))
	if err != nil {
		return err
	}
	tag := a.requestLanguage(c)
	req := bulkRequest{EHRName: form.EHRName, Language: tag}
	body, err := a.bulkSend(ctx, req, c.FormValue("payload"))
	if err != nil {
		return a.renderBulkProblem(c, form, err)
	}
	submitted, err := a.bulkSubmitted(ctx, tag, body)
	if err != nil {
		return err
	}

	return a.renderBulkPage(c, http.StatusOK, views.BulkProps{Form: form, Submitted: &submitted})
}

// bulkSend decodes, parses and sends a checked file. Its idempotency key
// comes from the EHR and the file's content, so sending the same file to
// the same EHR again returns the first send's transactions.
func (a *App) bulkSend(ctx context.Context, req bulkRequest, payload string) (bulkBody, error) {
	content, err := a.decodeBulkPayload(payload)
	if err != nil {
		return bulkBody{}, err
	}
	file, err := a.parseBulkPatients(content)
	if err != nil {
		return bulkBody{}, err
	}
	if err := requireBulkEHR(req.EHRName); err != nil {
		return bulkBody{}, err
	}
	req.Patients = file.Patients
	req.IdempotencyKey = bulkContentKey(req.EHRName, content, req.Targets)

	return a.SendBulk(ctx, req)
}

// bulkSubmitted turns a bulk send's result into the rows the page shows and counts
// the accepted transactions' statuses.
func (a *App) bulkSubmitted(ctx context.Context, tag language.Tag, body bulkBody) (views.BulkSubmitted, error) {
	submitted := views.BulkSubmitted{EHRName: body.EHRName, Accepted: body.Accepted, Rejected: body.Rejected, Replayed: body.replayed}
	var ids []uuid.UUID
	for _, result := range body.Results {
		row := views.BulkRow{Number: result.Index + 1, TransactionID: result.TransactionID, Messages: a.bulkResultMessages(tag, result)}
		submitted.Rows = append(submitted.Rows, row)
		if result.TransactionID == "" {
			continue
		}
		id, err := uuid.Parse(result.TransactionID)
		if err != nil {
			return views.BulkSubmitted{}, internalError(fmt.Errorf("reading accepted transaction id: %w", err))
		}
		ids = append(ids, id)
	}

	progress, err := a.bulkProgress(ctx, ids)
	if err != nil {
		return views.BulkSubmitted{}, err
	}
	submitted.Progress = progress
	for i, row := range submitted.Rows {
		submitted.Rows[i].Status = progress.Statuses[row.TransactionID]
	}

	return submitted, nil
}

// bulkResultMessages restates a rejected row's messages with the send
// form's field labels, as the preview shows them. Every field message
// starts with its field path, so only that prefix changes.
func (a *App) bulkResultMessages(tag language.Tag, result bulkResult) []string {
	prefix := fmt.Sprintf("patients[%d].", result.Index)
	messages := make([]string, 0, len(result.Errors))
	for _, fieldErr := range result.Errors {
		field := a.bulkRowField(tag, strings.TrimPrefix(fieldErr.Field, prefix))
		messages = append(messages, field+strings.TrimPrefix(fieldErr.Message, fieldErr.Field))
	}

	return messages
}
