package app

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/auth"
	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

// registerAPIKeyRoutes adds the JSON API of API keys; admin scope only.
func (a *App) registerAPIKeyRoutes(api *echo.Group) {
	api.GET("/api-keys", a.handleListAPIKeys)
	api.POST("/api-keys", a.handleCreateAPIKey)
	api.DELETE("/api-keys/:keyId", a.handleRevokeAPIKey)
}

type apiKeyItem struct {
	KeyID      string   `json:"keyId"`
	Name       string   `json:"name"`
	Scopes     []string `json:"scopes"`
	CreatedBy  string   `json:"createdBy"`
	CreatedAt  string   `json:"createdAt"`
	LastUsedAt string   `json:"lastUsedAt,omitempty"`
	RevokedAt  string   `json:"revokedAt,omitempty"`
}

func toAPIKeyItem(k store.APIKey) apiKeyItem {
	item := apiKeyItem{
		KeyID: k.KeyID, Name: k.Name, Scopes: k.ScopeList(), CreatedBy: k.CreatedBy,
		CreatedAt: k.CreatedAt.UTC().Format(timeFormat),
	}
	if k.LastUsedAt != nil {
		item.LastUsedAt = k.LastUsedAt.UTC().Format(timeFormat)
	}
	if k.RevokedAt != nil {
		item.RevokedAt = k.RevokedAt.UTC().Format(timeFormat)
	}

	return item
}

// handleListAPIKeys is GET /ehr/api-keys: every key without its secret.
func (a *App) handleListAPIKeys(c echo.Context) error {
	keys, err := a.Store.ListAPIKeys(c.Request().Context())
	if err != nil {
		return storeFailure(err)
	}
	items := make([]apiKeyItem, len(keys))
	for i, k := range keys {
		items[i] = toAPIKeyItem(k)
	}

	return c.JSON(http.StatusOK, map[string]any{"apiKeys": items})
}

// handleCreateAPIKey is POST /ehr/api-keys {name, scopes}: the response holds
// the key, shown this once.
func (a *App) handleCreateAPIKey(c echo.Context) error {
	body, err := decodeJSONObject(c)
	if err != nil {
		return err
	}
	errs := body.unknownKeys("name", "scopes")
	name := body.stringField("name", true, &errs)
	scopes := body.stringListField("scopes", &errs)
	if len(errs) > 0 {
		return invalidFields(errs)
	}

	key, record, err := newAPIKey(c.Request().Context(), a.Store, name, scopes, principalOf(c).Actor())
	switch {
	case errors.Is(err, errAPIKeyName):
		return invalidFields(ehr.FieldErrors{{Field: "name", Code: "api_key_name"}})
	case errors.Is(err, auth.ErrInvalidScope):
		return invalidFields(ehr.FieldErrors{{Field: "scopes", Code: "api_key_scopes"}})
	case err != nil:
		return storeFailure(err)
	}
	a.audit(c, auditAPIKeyCreate, record.KeyID, map[string]any{"name": record.Name, "scopes": record.ScopeList()})

	return c.JSON(http.StatusCreated, map[string]any{"key": key, "apiKey": toAPIKeyItem(record)})
}

// handleRevokeAPIKey is DELETE /ehr/api-keys/:keyId.
func (a *App) handleRevokeAPIKey(c echo.Context) error {
	keyID := c.Param("keyId")
	err := a.Store.RevokeAPIKey(c.Request().Context(), keyID)
	if errors.Is(err, store.ErrNotFound) {
		return newAPIError(http.StatusNotFound, "api_key_not_found", keyID)
	}
	if err != nil {
		return storeFailure(err)
	}
	a.audit(c, auditAPIKeyRevoke, keyID, nil)

	return c.NoContent(http.StatusNoContent)
}
