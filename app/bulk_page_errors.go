package app

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"ehrbridge/ehr"
	"ehrbridge/views"
)

// renderBulkProblem shows a problem with the upload (an APIError below
// 500) as errors on the upload form. Any other error is returned.
func (a *App) renderBulkProblem(c echo.Context, form views.BulkForm, err error) error {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status >= http.StatusInternalServerError {
		return err
	}
	form.Summary = a.bulkProblems(a.requestLanguage(c), apiErr)
	form.Errors = map[string]string{}
	for _, problem := range form.Summary {
		if _, taken := form.Errors[problem.Anchor]; !taken {
			form.Errors[problem.Anchor] = problem.Message
		}
	}

	return a.renderBulkPage(c, http.StatusUnprocessableEntity, views.BulkProps{Form: form})
}

// bulkProblems renders an upload's errors in the page's language, each
// pointing to the file or to the EHR choice.
func (a *App) bulkProblems(tag language.Tag, apiErr *APIError) []views.SendFormError {
	if len(apiErr.Fields) == 0 {
		anchor := views.BulkFileInputID
		if apiErr.Code == "unknown_ehr" {
			anchor = views.BulkEHRInputID
		}
		return []views.SendFormError{{Anchor: anchor, Message: a.Catalog.Text(tag, "error."+apiErr.Code, apiErr.Args...)}}
	}

	problems := make([]views.SendFormError, 0, len(apiErr.Fields))
	for _, fe := range apiErr.Fields {
		anchor, labelKey := views.BulkFileInputID, "page.bulk.file"
		switch fe.Field {
		case "ehrName":
			anchor, labelKey = views.BulkEHRInputID, "page.send.ehr"
		case "patients":
			labelKey = "page.bulk.patients"
		}
		fe.Field = a.Catalog.Text(tag, "page.send.error_field", a.Catalog.Text(tag, labelKey))
		problems = append(problems, views.SendFormError{Anchor: anchor, Message: a.Catalog.FieldMessage(tag, fe)})
	}

	return problems
}

// bulkRowField names a field of one row in that row's messages: by its
// label on the send form, as "This row" for an error on the whole patient,
// or by its path when the send form has no input for it.
func (a *App) bulkRowField(tag language.Tag, path string) string {
	if path == "patientData" || path == "" {
		return a.Catalog.Text(tag, "page.bulk.this_row")
	}
	anchor, label := a.sendErrorTarget(tag, path)
	if anchor == views.SendFormID {
		return path
	}

	return a.Catalog.Text(tag, "page.send.error_field", label)
}

// bulkHeaderMessages states once each column of a CSV header that names no
// patient field.
func (a *App) bulkHeaderMessages(tag language.Tag, unknownColumns []string) []string {
	messages := make([]string, len(unknownColumns))
	for i, column := range unknownColumns {
		messages[i] = a.Catalog.Text(tag, "page.bulk.unknown_column", column)
	}

	return messages
}

// bulkColumnError reports whether a row's field error comes from a value
// in one of the header's unknown columns, which the header errors state.
func bulkColumnError(fe ehr.FieldError, unknownColumns []string) bool {
	if fe.Code != ehr.FieldCodeUnknownField {
		return false
	}
	for _, column := range unknownColumns {
		if fe.Field == column || strings.HasPrefix(column, fe.Field+".") {
			return true
		}
	}

	return false
}
