package app

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

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

// bulkRowField names a field of one row in that row's messages: its path,
// or "This row" for an error on the whole patient.
func (a *App) bulkRowField(tag language.Tag, path string) string {
	if path == "patientData" {
		return a.Catalog.Text(tag, "page.bulk.this_row")
	}

	return path
}
