package app

import "github.com/labstack/echo/v4"

// registerOperationsRoutes adds the operations pages.
func (a *App) registerOperationsRoutes(ui *echo.Group) {
}
