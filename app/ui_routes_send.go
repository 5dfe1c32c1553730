package app

import "github.com/labstack/echo/v4"

// registerSendRoutes adds the send pages: the patient form with its
// fragments, and the bulk upload with its preview and progress.
func (a *App) registerSendRoutes(ui *echo.Group) {
	ui.GET("/send", a.handleSendPage)
	ui.POST("/send", a.handleSendPageSubmit)
	ui.GET("/send/rows/:field", a.handleSendPageRow)
	ui.GET("/send/endpoints", a.handleSendPageEndpoints)

	ui.GET("/bulk", a.handleBulkPage)
	ui.POST("/bulk/preview", a.handleBulkPreview)
	ui.POST("/bulk/submit", a.handleBulkSubmit)
	ui.GET("/bulk/progress", a.handleBulkProgress)
}
