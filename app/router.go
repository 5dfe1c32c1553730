package app

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Router builds the HTTP router with every route of ehrbridge.
func (a *App) Router() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = a.handleError

	e.Use(middleware.RequestID())
	e.Use(a.recoverPanics)
	e.Use(a.logRequests)
	e.Use(secureHeaders)
	e.Use(limitBody(a.Config.MaxRequestBytes))

	e.GET("/health", a.handleHealth)

	api := e.Group("/ehr")
	api.POST("/send-patient-data", a.handleSendPatientData)
	api.GET("/mapping/:ehrName", a.handleGetMapping)
	api.GET("/mapping/:ehrName/versions", a.handleListMappingVersions)
	api.GET("/mapping/:ehrName/versions/:version", a.handleGetMappingVersion)
	api.POST("/save-mapping", a.handleSaveMapping)
	api.GET("/transactions", a.handleListTransactions)
	api.GET("/transactions/:id", a.handleGetTransaction)
	api.GET("/systems", a.handleListSystems)
	api.POST("/systems", a.handleCreateSystem)

	e.GET("/", a.handleHome)
	e.GET(staticRoutePrefix+"*", echo.WrapHandler(http.StripPrefix(staticRoutePrefix, staticHandler())))

	if a.Simulator != nil {
		e.Any("/sim/*", echo.WrapHandler(http.StripPrefix("/sim", a.Simulator.Handler())))
	}

	return e
}
