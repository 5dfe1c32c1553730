package app

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/auth"
	"ehrbridge/app/store"
	"ehrbridge/views"
)

// handleAPIKeyCreatePage is POST /api-keys: create a key from the form's
// name and scope fields and show it on the page (200, not a redirect), the
// only time it can be seen. Invalid fields show the form again with 400.
func (a *App) handleAPIKeyCreatePage(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return newAPIError(http.StatusBadRequest, "bad_request")
	}
	entered := views.APIKeyForm{Name: strings.TrimSpace(form.Get("name")), Scopes: form["scope"]}

	key, record, err := newAPIKey(c.Request().Context(), a.Store, entered.Name, entered.Scopes, principalOf(c).Actor())
	if errors.Is(err, errAPIKeyName) || errors.Is(err, auth.ErrInvalidScope) {
		errs := apiKeyFormErrors(a.page(c, "page.api_keys.title"), entered)
		return a.renderAPIKeysPage(c, http.StatusBadRequest, apiKeysPageState{form: entered, errs: errs})
	}
	if err != nil {
		return storeFailure(err)
	}
	a.audit(c, auditAPIKeyCreate, record.KeyID, map[string]any{"name": record.Name, "scopes": record.ScopeList()})

	created := views.APIKeyCreated{Key: key, KeyID: record.KeyID, Name: record.Name}
	return a.renderAPIKeysPage(c, http.StatusOK, apiKeysPageState{created: created})
}

// apiKeyFormErrors returns the translated errors of a rejected create
// form. newAPIKey stops at the first invalid field, so both fields are
// checked again here to report every error at once.
func apiKeyFormErrors(page views.Page, entered views.APIKeyForm) map[string]string {
	errs := map[string]string{}
	if _, err := checkAPIKeyName(entered.Name); err != nil {
		errs["name"] = page.T("page.api_keys.error.name")
	}
	if _, err := auth.ParseScopes(strings.Join(entered.Scopes, ",")); err != nil {
		errs["scopes"] = page.T("page.api_keys.error.scopes")
	}

	return errs
}

// handleAPIKeyRevokePage is POST /api-keys/:keyId/revoke: revoke an
// active key once the form's confirm box is ticked, record it in the audit
// log and go back to the list. Without the box the list shows again with
// status 400, and a key that is unknown or already revoked returns 404.
func (a *App) handleAPIKeyRevokePage(c echo.Context) error {
	ctx := c.Request().Context()
	page := a.page(c, "page.api_keys.title")
	keyID := c.Param("keyId")

	key, err := a.Store.FindAPIKey(ctx, keyID)
	if errors.Is(err, store.ErrNotFound) {
		return a.renderRevokeError(c, http.StatusNotFound, keyID, page.T("page.api_keys.error.not_active", keyID))
	}
	if err != nil {
		return storeFailure(err)
	}
	if c.FormValue("confirm") != "yes" {
		return a.renderRevokeError(c, http.StatusBadRequest, keyID, page.T("page.api_keys.error.confirm", key.Name, keyID))
	}

	err = a.Store.RevokeAPIKey(ctx, keyID)
	if errors.Is(err, store.ErrNotFound) {
		// Another request revoked it since it was found.
		return a.renderRevokeError(c, http.StatusNotFound, keyID, page.T("page.api_keys.error.not_active", keyID))
	}
	if err != nil {
		return storeFailure(err)
	}
	a.audit(c, auditAPIKeyRevoke, keyID, map[string]any{"name": key.Name})

	return c.Redirect(http.StatusSeeOther, "/api-keys?"+url.Values{"revoked": {keyID}}.Encode())
}

// renderRevokeError shows the API keys page with message at the key's
// revoke form.
func (a *App) renderRevokeError(c echo.Context, status int, keyID, message string) error {
	revokeError := &views.APIKeyRevokeError{KeyID: keyID, Text: message}

	return a.renderAPIKeysPage(c, status, apiKeysPageState{revokeError: revokeError})
}
