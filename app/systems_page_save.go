package app

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
	"ehrbridge/views"
)

// handleSystemCreatePage is POST /systems: create an EHR system from the
// form with its family's default mapping, then show its edit page.
func (a *App) handleSystemCreatePage(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return newAPIError(http.StatusBadRequest, "bad_request")
	}
	system := systemFromForm(form, store.System{Options: store.StringMap{}}, true)
	family, errs := a.validateSystemSettings(&system)
	if len(errs) > 0 {
		return a.renderSystemForm(c, http.StatusBadRequest, systemFormState{isNew: true, system: system, errs: errs})
	}

	encoded, err := json.Marshal(family.DefaultMapping)
	if err != nil {
		return internalError(err)
	}
	err = a.createSystem(c, &system, encoded)
	if errors.Is(err, store.ErrDuplicateName) {
		exists := ehr.FieldErrors{{Field: "name", Code: "ehr_exists", Args: []any{system.Name}}}
		return a.renderSystemForm(c, http.StatusConflict, systemFormState{isNew: true, system: system, errs: exists})
	}
	if err != nil {
		return err
	}

	return c.Redirect(http.StatusSeeOther, views.SystemURL(system.Name)+"?created=1")
}

// handleSystemUpdatePage is POST /systems/:name: save the edit form's
// settings, then show the edit page again with a notice.
func (a *App) handleSystemUpdatePage(c echo.Context) error {
	current, err := a.findSystem(c.Request().Context(), c.Param("name"))
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return newAPIError(http.StatusBadRequest, "bad_request")
	}
	changed := systemFromForm(form, current, false)
	if _, errs := a.validateSystemSettings(&changed); len(errs) > 0 {
		return a.renderSystemForm(c, http.StatusBadRequest, systemFormState{system: changed, errs: errs})
	}

	updated, err := a.updateSystem(c, current, changed)
	if err != nil {
		return err
	}

	return c.Redirect(http.StatusSeeOther, views.SystemURL(updated.Name)+"?saved=1")
}
