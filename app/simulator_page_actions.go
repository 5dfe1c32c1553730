package app

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// handleSimulatorResetPage is POST /simulator/reset: delete every
// simulated patient, call and fault, then go back to the inbox.
func (a *App) handleSimulatorResetPage(c echo.Context) error {
	if a.Simulator == nil {
		return newAPIError(http.StatusNotFound, "not_found")
	}
	a.Simulator.Reset()
	a.Logger.Info("simulator reset from the admin UI")

	return c.Redirect(http.StatusSeeOther, "/simulator?done=reset")
}

// handleSimulatorClearFaultsPage is POST /simulator/faults/clear: remove
// every injected fault, then go back to the inbox.
func (a *App) handleSimulatorClearFaultsPage(c echo.Context) error {
	if a.Simulator == nil {
		return newAPIError(http.StatusNotFound, "not_found")
	}
	a.Simulator.ClearFaults()
	a.Logger.Info("simulator faults cleared from the admin UI")

	return c.Redirect(http.StatusSeeOther, "/simulator?done=faults_cleared")
}
