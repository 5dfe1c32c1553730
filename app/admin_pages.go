package app

import "github.com/labstack/echo/v4"

// registerAdminPages adds the pages of accounts, API keys and the audit
// log. Every route is for admins only (see accessRules).
func (a *App) registerAdminPages(ui *echo.Group) {
	ui.GET("/users", a.handleUsersPage)
	ui.POST("/users", a.handleUserCreatePage)
	ui.POST("/users/:id", a.handleUserChangePage)

	ui.GET("/api-keys", a.handleAPIKeysPage)
	ui.POST("/api-keys", a.handleAPIKeyCreatePage)
	ui.POST("/api-keys/:keyId/revoke", a.handleAPIKeyRevokePage)

	ui.GET("/audit", a.handleAuditPage)
}
