package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"ehrbridge/views"
)

// handleSimulatorResetPage is POST /simulator/reset. Without confirm=yes
// it shows the confirmation page. With it, it deletes every simulated
// patient, call and fault, then goes back to the inbox.
func (a *App) handleSimulatorResetPage(c echo.Context) error {
	if a.Simulator == nil {
		return newAPIError(http.StatusNotFound, "not_found")
	}
	if c.FormValue("confirm") != "yes" {
		props := views.SimulatorResetConfirmProps{Page: a.page(c, "page.simulator.confirm_title")}
		return render(c, http.StatusOK, views.SimulatorResetConfirm(props))
	}
	a.Simulator.Reset()
	a.Logger.InfoContext(c.Request().Context(), "simulator reset from the admin UI")

	return c.Redirect(http.StatusSeeOther, "/simulator?done=reset")
}

// handleSimulatorClearFaultsPage is POST /simulator/faults/clear: remove
// every injected fault, then go back to the inbox.
func (a *App) handleSimulatorClearFaultsPage(c echo.Context) error {
	if a.Simulator == nil {
		return newAPIError(http.StatusNotFound, "not_found")
	}
	a.Simulator.ClearFaults()
	a.Logger.InfoContext(c.Request().Context(), "simulator faults cleared from the admin UI")

	return c.Redirect(http.StatusSeeOther, "/simulator?done=faults_cleared")
}
