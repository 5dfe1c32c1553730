package app

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"ehrbridge/ehr"
	"ehrbridge/views"
)

// handleBulkPreview is POST /bulk/preview: read the uploaded file and check
// every row against the chosen EHR's mapping, storing nothing. The response
// lists each row's number with "valid" or its errors, and carries the file
// forward for the send.
func (a *App) handleBulkPreview(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := a.bulkForm(ctx, strings.TrimSpace(c.FormValue("ehrName")))
	if err != nil {
		return err
	}
	content, err := a.readBulkUpload(c)
	if err != nil {
		return a.renderBulkProblem(c, form, err)
	}
	preview, err := a.bulkPreview(ctx, a.requestLanguage(c), form.EHRName, content)
	if err != nil {
		return a.renderBulkProblem(c, form, err)
	}

	return a.renderBulkPage(c, http.StatusOK, views.BulkProps{Form: form, Preview: &preview})
}

// bulkPreview checks each patient of a file exactly as a bulk send would,
// without storing anything.
func (a *App) bulkPreview(ctx context.Context, tag language.Tag, ehrName string, content []byte) (views.BulkPreview, error) {
	file, err := a.parseBulkPatients(content)
	if err != nil {
		return views.BulkPreview{}, err
	}
	if err := requireBulkEHR(ehrName); err != nil {
		return views.BulkPreview{}, err
	}
	entry, err := a.lookupMapping(ctx, ehrName)
	if err != nil {
		return views.BulkPreview{}, err
	}

	preview := views.BulkPreview{
		EHRName: entry.System.Name, Payload: bulkPayloadEncoding.EncodeToString(content),
		HeaderMessages: a.bulkHeaderMessages(tag, file.UnknownColumns),
	}
	req := bulkRequest{EHRName: entry.System.Name, Language: tag}
	now := time.Now()
	for i, raw := range file.Patients {
		_, fieldErrs, err := a.prepareBulkPatient(entry.System, entry.Mapping, req, raw, now)
		if err != nil {
			return views.BulkPreview{}, internalError(err)
		}
		row := views.BulkRow{Number: i + 1}
		for _, fe := range fieldErrs {
			if bulkColumnError(fe, file.UnknownColumns) {
				row.UnknownColumns = true
				continue
			}
			fe.Field = a.bulkRowField(tag, fe.Field)
			row.Messages = append(row.Messages, a.Catalog.FieldMessage(tag, fe))
		}
		if len(row.Messages) == 0 && !row.UnknownColumns {
			preview.Valid++
		} else {
			preview.Invalid++
		}
		preview.Rows = append(preview.Rows, row)
	}

	return preview, nil
}

// requireBulkEHR reports a missing EHR choice.
func requireBulkEHR(ehrName string) error {
	if ehrName == "" {
		return invalidFields(ehr.FieldErrors{{Field: "ehrName", Code: "required"}})
	}

	return nil
}
