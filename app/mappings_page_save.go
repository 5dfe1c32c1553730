package app

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"ehrbridge/views"
)

// handleMappingSavePage is POST /mappings/:ehrName, the editor form's
// action. With op=save (or no op) it validates the draft and stores it as
// the EHR's next version, then goes back to the editor with a notice. An
// invalid draft comes back with each error under its input. A draft
// started from an older version than the current one is not saved. The
// page shows a warning instead, and the next save goes through. The preview
// op is a preview sent without JavaScript; any other op is a draft
// operation.
func (a *App) handleMappingSavePage(c echo.Context) error {
	switch op := c.FormValue(draftFieldOperation); op {
	case "", draftOpSave:
	case draftOpPreview:
		return a.handleMappingPreviewPage(c)
	default:
		return a.handleMappingDraftPage(c)
	}
	ctx := c.Request().Context()
	system, draft, err := a.draftFromRequest(c)
	if err != nil {
		return err
	}
	current, err := a.currentMapping(ctx, system)
	if err != nil {
		return err
	}

	config, errs := draft.validated()
	errs = append(errs, commentErrors(draft.Comment)...)
	if len(errs) > 0 {
		preview := a.mappingPreview(a.requestLanguage(c), draft)
		state := mappingEditorState{system: system, draft: draft, errs: errs, preview: &preview}
		return a.renderMappingEditor(c, http.StatusBadRequest, state)
	}
	if draft.BaseVersion != current.Version {
		warning := a.page(c, mappingEditorTitle).T("page.mappings.conflict_warning", current.Version, draft.BaseVersion)
		draft.BaseVersion = current.Version
		preview := a.mappingPreview(a.requestLanguage(c), draft)
		state := mappingEditorState{system: system, draft: draft, preview: &preview, warning: warning}
		return a.renderMappingEditor(c, http.StatusConflict, state)
	}

	encoded, err := json.Marshal(config)
	if err != nil {
		return internalError(err)
	}
	saved, err := a.storeMappingVersion(c, system, encoded, draft.Comment, auditMappingSave, map[string]any{"comment": draft.Comment})
	if err != nil {
		return err
	}

	return c.Redirect(http.StatusSeeOther, views.MappingURL(system.Name)+"?saved="+strconv.Itoa(saved.Version))
}
