package app

import "github.com/labstack/echo/v4"

// registerSendRoutes adds the send pages.
func (a *App) registerSendRoutes(ui *echo.Group) {
}
