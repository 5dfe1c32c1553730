package app

import (
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

// systemUpdateFields are the fields PUT /ehr/systems/:name takes: those of
// POST /ehr/systems without mappingConfig, since mappings change through
// their own versioned routes.
var systemUpdateFields = []string{"name", "family", "baseUrl", "practiceId", "authKind", "clientId", "secretEnv", "options", "language"}

// registerSystemAPIRoutes adds the EHR system routes of the JSON API that
// the configuration area owns.
func (a *App) registerSystemAPIRoutes(api *echo.Group) {
	api.PUT("/systems/:name", a.handleUpdateSystem)
}

// handleUpdateSystem is PUT /ehr/systems/:name: replace an EHR system's
// settings. Name and family cannot change; when given they must match. A
// field left out takes its empty value, as in a create, so the body always
// describes the whole system.
func (a *App) handleUpdateSystem(c echo.Context) error {
	body, err := decodeJSONObject(c)
	if err != nil {
		return err
	}
	var errs ehr.FieldErrors
	a.setRequestLanguage(c, body.stringField("language", false, &errs))
	current, err := a.findSystem(c.Request().Context(), c.Param("name"))
	if err != nil {
		return err
	}

	errs = append(errs, body.unknownKeys(systemUpdateFields...)...)
	changed := systemFromUpdateBody(body, current, &errs)
	_, settingErrs := a.validateSystemSettings(&changed)
	if errs = appendUncovered(errs, settingErrs); len(errs) > 0 {
		return invalidFields(errs)
	}

	updated, err := a.updateSystem(c, current, changed)
	if err != nil {
		return err
	}

	return c.JSON(http.StatusOK, toSystemBody(updated, secretIsSet(updated.SecretEnv)))
}

// systemFromUpdateBody reads the new settings of current from a PUT body.
func systemFromUpdateBody(body jsonObject, current store.System, errs *ehr.FieldErrors) store.System {
	text := func(key string) string { return strings.TrimSpace(body.stringField(key, false, errs)) }
	if name := text("name"); name != "" && !strings.EqualFold(name, current.Name) {
		*errs = append(*errs, ehr.FieldError{Field: "name", Code: "cannot_change"})
	}
	if family := text("family"); family != "" && !strings.EqualFold(family, current.Family) {
		*errs = append(*errs, ehr.FieldError{Field: "family", Code: "cannot_change"})
	}

	changed := current
	changed.BaseURL, changed.PracticeID = text("baseUrl"), text("practiceId")
	changed.AuthKind, changed.ClientID, changed.SecretEnv = text("authKind"), text("clientId"), text("secretEnv")
	changed.Options = store.StringMap{}
	if body.present("options") {
		if err := json.Unmarshal(body["options"], &changed.Options); err != nil {
			*errs = append(*errs, ehr.FieldError{Field: "options", Code: "must_be_string_map"})
		}
	}

	return changed
}

// updateSystem stores the changed settings, drops the cached entry (which
// carries the system's settings) on every copy, and records which settings
// changed in the audit log. The new updated_at makes the integration
// rebuild on the next send.
func (a *App) updateSystem(c echo.Context, current, changed store.System) (store.System, error) {
	ctx := c.Request().Context()
	err := a.Store.UpdateSystem(ctx, &changed)
	if errors.Is(err, store.ErrNotFound) {
		return store.System{}, newAPIError(http.StatusNotFound, "unknown_ehr", current.Name)
	}
	if err != nil {
		return store.System{}, storeFailure(err)
	}
	a.forgetMapping(ctx, changed.Name)
	a.Logger.InfoContext(c.Request().Context(), "EHR system updated", "ehr", changed.Name, "ehr_system_id", changed.ID)
	a.audit(c, auditSystemUpdate, changed.Name, map[string]any{"changed": changedSystemSettings(current, changed)})

	return changed, nil
}

// changedSystemSettings names, as in the JSON API, the settings that differ.
func changedSystemSettings(before, after store.System) []string {
	changed := []string{}
	pairs := []struct{ name, before, after string }{
		{"baseUrl", before.BaseURL, after.BaseURL},
		{"practiceId", before.PracticeID, after.PracticeID},
		{"authKind", before.AuthKind, after.AuthKind},
		{"clientId", before.ClientID, after.ClientID},
		{"secretEnv", before.SecretEnv, after.SecretEnv},
	}
	for _, pair := range pairs {
		if pair.before != pair.after {
			changed = append(changed, pair.name)
		}
	}
	if !maps.Equal(before.Options, after.Options) {
		changed = append(changed, "options")
	}

	return changed
}
