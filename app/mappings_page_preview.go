package app

import (
	"net/http"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"ehrbridge/ehr"
	"ehrbridge/views"
)

// handleMappingPreviewPage is POST /mappings/:ehrName/preview: what the
// draft in the form would send for the sample patient. HTMX gets the
// preview, plus the editor when the errors marked at its inputs change. A
// plain form post gets the whole editor page with the errors marked.
func (a *App) handleMappingPreviewPage(c echo.Context) error {
	system, draft, err := a.draftFromRequest(c)
	if err != nil {
		return err
	}
	tag := a.requestLanguage(c)
	preview := a.mappingPreview(tag, draft)
	_, errs := draft.validated()
	if !configurationHTMX(c) {
		return a.renderMappingEditor(c, http.StatusOK, mappingEditorState{system: system, draft: draft, errs: errs, preview: &preview})
	}

	page := a.page(c, mappingEditorTitle)
	fragment := views.MappingPreviewFragment(page, preview)
	editor := a.mappingEditorView(tag, system.Name, draft, errs)
	if editor.ErrorsSignature() != c.FormValue(views.MappingShownErrorsField) {
		// The errors at the inputs changed: the editor comes along to mark
		// them, or to clear the marks of the errors that were fixed.
		editor.OutOfBand = true
		fragment = templ.Join(fragment, views.MappingEditorFragment(page, editor))
	}

	return render(c, http.StatusOK, fragment)
}

// mappingPreview applies a draft to the sample patient as a send would:
// planned with ehr.PlanDelivery and rendered with Endpoint.Apply. A draft
// that does not validate or plan shows its errors instead.
func (a *App) mappingPreview(tag language.Tag, draft mappingDraft) views.MappingPreview {
	config, errs := draft.validated()
	if len(errs) > 0 {
		links, _ := a.draftErrorLinks(tag, draft, errs)
		texts := make([]string, len(links))
		for i, link := range links {
			texts[i] = link.Text
		}
		return views.MappingPreview{Errors: texts}
	}

	patient := previewPatient(time.Now())
	plan, planErrs := ehr.PlanDelivery(config, patient, nil)
	if len(planErrs) > 0 {
		label := a.Catalog.Text(tag, "page.mappings.place_sample")
		texts := make([]string, len(planErrs))
		for i, fe := range planErrs {
			texts[i] = a.Catalog.FieldMessage(tag, ehr.FieldError{Field: label, Code: fe.Code, Args: fe.Args})
		}
		return views.MappingPreview{Errors: texts}
	}

	return views.MappingPreview{
		Endpoints: previewEndpoints(config, plan, patient),
		Unsent:    ehr.UnsentFields(config.Endpoints, patient),
	}
}

// previewEndpoints lists the config's endpoints in editor order, each with
// its place in the send and the fields it would receive.
func previewEndpoints(config ehr.Config, plan ehr.Plan, patient *ehr.Patient) []views.MappingPreviewEndpoint {
	order := make(map[string]int, len(plan.Endpoints))
	for i, planned := range plan.Endpoints {
		order[planned.Endpoint.Name] = i + 1
	}

	out := make([]views.MappingPreviewEndpoint, len(config.Endpoints))
	for i, endpoint := range config.Endpoints {
		out[i] = views.MappingPreviewEndpoint{
			Name: endpoint.Name, Call: endpointCall(endpoint), Order: order[endpoint.Name],
			Identity: endpoint.IdentifiesPatient,
		}
		if out[i].Order == 0 {
			continue
		}
		for _, field := range endpoint.Apply(patient) {
			out[i].Fields = append(out[i].Fields, views.MappingPreviewField{Target: field.Target, Value: field.Value})
		}
	}

	return out
}

// endpointCall describes what an endpoint calls: its method and path, or
// its action.
func endpointCall(endpoint ehr.Endpoint) string {
	if endpoint.Path != "" {
		return endpoint.Method + " " + endpoint.Path
	}

	return endpoint.Action
}
