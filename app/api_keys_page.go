package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/auth"
	"ehrbridge/app/store"
	"ehrbridge/views"
)

// apiKeysPageState is the content of one rendering of the API keys page
// besides the key list.
type apiKeysPageState struct {
	form        views.APIKeyForm
	errs        map[string]string
	created     views.APIKeyCreated
	revoked     string
	revokeError *views.APIKeyRevokeError
}

// handleAPIKeysPage is GET /api-keys: every key without its secret, with
// the create and revoke forms. After a revocation, ?revoked=<key id> adds
// a notice.
func (a *App) handleAPIKeysPage(c echo.Context) error {
	return a.renderAPIKeysPage(c, http.StatusOK, apiKeysPageState{revoked: c.QueryParam("revoked")})
}

// renderAPIKeysPage lists the keys and shows the page with state.
func (a *App) renderAPIKeysPage(c echo.Context, status int, state apiKeysPageState) error {
	keys, err := a.Store.ListAPIKeys(c.Request().Context())
	if err != nil {
		return storeFailure(err)
	}
	props := views.APIKeysProps{
		Page: a.page(c, "page.api_keys.title"), Scopes: auth.Scopes, Form: state.form, Errors: state.errs,
		NewKey: state.created, RevokeError: state.revokeError,
	}
	for _, key := range keys {
		props.Keys = append(props.Keys, apiKeyRow(key))
	}
	// Only a key that exists and is revoked is named, so the notice cannot
	// carry arbitrary text from a link.
	if revokedKeyListed(keys, state.revoked) {
		props.Revoked = state.revoked
	}

	return render(c, status, views.APIKeys(props))
}

func apiKeyRow(key store.APIKey) views.APIKeyRow {
	return views.APIKeyRow{
		KeyID: key.KeyID, Name: key.Name, Scopes: key.ScopeList(), CreatedBy: key.CreatedBy,
		CreatedAt: key.CreatedAt, LastUsedAt: key.LastUsedAt, RevokedAt: key.RevokedAt,
	}
}

func revokedKeyListed(keys []store.APIKey, keyID string) bool {
	for _, key := range keys {
		if key.KeyID == keyID && key.RevokedAt != nil {
			return true
		}
	}

	return false
}
