package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"ehrbridge/views"
)

// handleSystemsPage is GET /systems: every EHR system with its base URL,
// a badge on those that use the simulator, and whether the variable that
// holds its secret is set. The secret itself is never read into a page.
func (a *App) handleSystemsPage(c echo.Context) error {
	systems, err := a.Store.ListSystems(c.Request().Context())
	if err != nil {
		return storeFailure(err)
	}

	props := views.SystemsListProps{Page: a.page(c, "page.systems.title")}
	for _, system := range systems {
		props.Systems = append(props.Systems, views.SystemsListRow{
			Name: system.Name, Family: system.Family, BaseURL: system.BaseURL, AuthKind: system.AuthKind,
			SecretEnv: system.SecretEnv, SecretSet: secretIsSet(system.SecretEnv), Simulator: IsSimulatorURL(system.BaseURL),
		})
	}

	return render(c, http.StatusOK, views.SystemsList(props))
}
