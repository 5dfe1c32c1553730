package app

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
	"ehrbridge/views"
)

// mappingEditorTitle is the locale key of the editor's page title.
const mappingEditorTitle = "page.mappings.editor_title"

// mappingEditorState is the content of one rendering of the editor page.
type mappingEditorState struct {
	system  store.System
	draft   mappingDraft
	errs    ehr.FieldErrors
	preview *views.MappingPreview
	notice  string
	warning string
	// focus is the id of the element to focus once the page is shown.
	focus string
}

// handleMappingEditorPage is GET /mappings/:ehrName: the editor, filled
// with the current version and its preview. After a save, ?saved=N names
// the version that was stored.
func (a *App) handleMappingEditorPage(c echo.Context) error {
	ctx := c.Request().Context()
	system, err := a.findSystem(ctx, c.Param("ehrName"))
	if err != nil {
		return err
	}
	current, err := a.currentMapping(ctx, system)
	if err != nil {
		return err
	}

	draft := draftFromMapping(current)
	preview := a.mappingPreview(a.requestLanguage(c), draft)
	state := mappingEditorState{system: system, draft: draft, preview: &preview}
	if saved, err := strconv.Atoi(c.QueryParam("saved")); err == nil && saved > 0 {
		state.notice = a.page(c, mappingEditorTitle).T("page.mappings.saved_notice", saved)
	}

	return a.renderMappingEditor(c, http.StatusOK, state)
}

// handleMappingDraftPage is POST /mappings/:ehrName/draft: apply the
// form's op (add, remove or move a rule, add or remove an endpoint) to the
// draft in the form. HTMX gets the editor part alone; a plain form post
// gets the whole page with the draft's preview.
func (a *App) handleMappingDraftPage(c echo.Context) error {
	system, draft, err := a.draftFromRequest(c)
	if err != nil {
		return err
	}
	focus, err := draft.apply(c.FormValue(draftFieldOperation))
	if err != nil {
		return err
	}

	if configurationHTMX(c) {
		editor := a.mappingEditorView(a.requestLanguage(c), system.Name, draft, nil)
		editor.Focus = focus
		return render(c, http.StatusOK, views.MappingEditorFragment(a.page(c, mappingEditorTitle), editor))
	}
	preview := a.mappingPreview(a.requestLanguage(c), draft)
	state := mappingEditorState{system: system, draft: draft, preview: &preview, focus: focus}

	return a.renderMappingEditor(c, http.StatusOK, state)
}

// draftFromRequest loads the EHR system named in the path and reads the
// draft from the posted form.
func (a *App) draftFromRequest(c echo.Context) (store.System, mappingDraft, error) {
	system, err := a.findSystem(c.Request().Context(), c.Param("ehrName"))
	if err != nil {
		return store.System{}, mappingDraft{}, err
	}
	form, err := c.FormParams()
	if err != nil {
		return store.System{}, mappingDraft{}, newAPIError(http.StatusBadRequest, "bad_request")
	}
	draft, err := parseMappingDraft(form)

	return system, draft, err
}

// renderMappingEditor writes the whole editor page.
func (a *App) renderMappingEditor(c echo.Context, status int, state mappingEditorState) error {
	tag := a.requestLanguage(c)
	editor := a.mappingEditorView(tag, state.system.Name, state.draft, state.errs)
	editor.Focus = state.focus
	props := views.MappingEditorProps{
		Page: a.page(c, mappingEditorTitle), EHRName: state.system.Name, Family: state.system.Family,
		BaseVersion: state.draft.BaseVersion, Comment: state.draft.Comment, CommentError: commentError(editor.Summary),
		Notice: state.notice, Warning: state.warning, Editor: editor, Preview: state.preview,
	}

	return render(c, status, views.MappingEditorPage(props))
}

// configurationHTMX reports whether HTMX sent the request, which then
// wants a fragment of the page rather than all of it.
func configurationHTMX(c echo.Context) bool {
	return c.Request().Header.Get("HX-Request") == "true"
}
