package app

import "github.com/labstack/echo/v4"

// registerConfigurationRoutes adds the configuration pages.
func (a *App) registerConfigurationRoutes(ui *echo.Group) {
}
