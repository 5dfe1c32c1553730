package app

import "github.com/labstack/echo/v4"

// registerUIRoutes adds the admin pages, grouped by area, to the UI group.
func (a *App) registerUIRoutes(ui *echo.Group) {
	a.registerSendRoutes(ui)
	a.registerOperationsRoutes(ui)
	a.registerConfigurationRoutes(ui)
}
