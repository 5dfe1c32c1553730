package app

import "github.com/labstack/echo/v4"

// registerConfigurationRoutes adds the configuration pages: the mapping
// editor with its preview and version history, and the EHR system
// settings with their connection test.
func (a *App) registerConfigurationRoutes(ui *echo.Group) {
	ui.GET("/mappings", a.handleMappingsPage)
	ui.GET("/mappings/:ehrName", a.handleMappingEditorPage)
	ui.POST("/mappings/:ehrName", a.handleMappingSavePage)
	ui.POST("/mappings/:ehrName/draft", a.handleMappingDraftPage)
	ui.POST("/mappings/:ehrName/preview", a.handleMappingPreviewPage)
	ui.GET("/mappings/:ehrName/versions", a.handleMappingVersionsPage)
	ui.POST("/mappings/:ehrName/rollback/:version", a.handleMappingRollbackPage)

	ui.GET("/systems", a.handleSystemsPage)
	ui.GET("/systems/new", a.handleSystemNewPage)
	ui.POST("/systems", a.handleSystemCreatePage)
	ui.GET("/systems/:name", a.handleSystemEditPage)
	ui.POST("/systems/:name", a.handleSystemUpdatePage)
	ui.POST("/systems/:name/test", a.handleSystemTestConnection)
}
