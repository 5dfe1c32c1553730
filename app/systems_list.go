package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
)

// systemBody is an EHR system in API answers. The secret itself is never
// shown, only the name of the variable that holds it.
type systemBody struct {
	Name       string            `json:"name"`
	Family     string            `json:"family"`
	BaseURL    string            `json:"baseUrl"`
	PracticeID string            `json:"practiceId,omitempty"`
	AuthKind   string            `json:"authKind"`
	ClientID   string            `json:"clientId,omitempty"`
	SecretEnv  string            `json:"secretEnv,omitempty"`
	SecretSet  bool              `json:"secretSet"`
	Options    map[string]string `json:"options,omitempty"`
	Simulator  bool              `json:"simulator"`
	CreatedAt  string            `json:"createdAt"`
	UpdatedAt  string            `json:"updatedAt"`
}

func toSystemBody(system store.System, secretSet bool) systemBody {
	return systemBody{
		Name: system.Name, Family: system.Family, BaseURL: system.BaseURL, PracticeID: system.PracticeID,
		AuthKind: system.AuthKind, ClientID: system.ClientID, SecretEnv: system.SecretEnv, SecretSet: secretSet,
		Options: system.Options, Simulator: IsSimulatorURL(system.BaseURL),
		CreatedAt: system.CreatedAt.UTC().Format(timeFormat), UpdatedAt: system.UpdatedAt.UTC().Format(timeFormat),
	}
}

// handleListSystems is GET /ehr/systems.
func (a *App) handleListSystems(c echo.Context) error {
	systems, err := a.Store.ListSystems(c.Request().Context())
	if err != nil {
		return storeFailure(err)
	}
	items := make([]systemBody, len(systems))
	for i, system := range systems {
		items[i] = toSystemBody(system, secretIsSet(system.SecretEnv))
	}

	return c.JSON(http.StatusOK, map[string]any{"systems": items})
}
