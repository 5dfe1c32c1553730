package app

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// bulkRoute is the bulk send path below /ehr; it takes larger bodies.
const bulkRoute = "/send-patient-data/bulk"

// Router builds the HTTP router with every route of ehrbridge.
func (a *App) Router() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = a.handleError
	e.IPExtractor = a.clientIPExtractor()

	e.Use(middleware.RequestID())
	e.Use(tagRequestContext)
	e.Use(a.observeRequests)
	e.Use(a.recoverPanics)
	e.Use(a.logRequests)
	e.Use(a.secureHeaders)
	e.Use(a.limitBody)
	e.Use(a.authenticate)
	e.Use(a.limitRate)
	e.Use(a.authorize)

	e.GET("/health", a.handleHealth)
	e.GET("/metrics", a.handleMetrics)

	api := e.Group("/ehr")
	api.POST("/send-patient-data", a.handleSendPatientData)
	api.POST("/send-patient-data-async", a.handleSendPatientDataAsync)
	api.POST(bulkRoute, a.handleSendBulk)
	api.POST("/retry-transaction/:transactionId", a.handleRetryTransaction)
	api.GET("/queue/status", a.handleQueueStatus)
	api.GET("/queue/jobs", a.handleListJobs)
	api.POST("/queue/retry/:jobId", a.handleRetryJob)
	api.GET("/mapping/:ehrName", a.handleGetMapping)
	api.GET("/mapping/:ehrName/versions", a.handleListMappingVersions)
	api.GET("/mapping/:ehrName/versions/:version", a.handleGetMappingVersion)
	api.POST("/save-mapping", a.handleSaveMapping)
	api.POST("/mapping/:ehrName/rollback/:version", a.handleRollbackMapping)
	api.GET("/transactions", a.handleListTransactions)
	api.GET("/transactions/:id", a.handleGetTransaction)
	api.POST("/transactions/:id/reveal", a.handleRevealTransaction)
	api.GET("/systems", a.handleListSystems)
	api.POST("/systems", a.handleCreateSystem)
	a.registerSystemAPIRoutes(api)
	api.GET("/audit-log", a.handleListAudit)
	api.GET("/cache/stats", a.handleCacheStats)
	api.POST("/cache/invalidate/:ehrName", a.handleCacheInvalidate)
	api.POST("/cache/clear", a.handleCacheClear)
	a.registerAPIKeyRoutes(api)

	ui := a.uiGroup(e)
	ui.GET("/", a.handleDashboardPage)
	ui.GET("/lang/:code", a.handleLanguage)
	a.registerAccountRoutes(ui)
	e.GET("/favicon.ico", handleFavicon)
	a.registerUIRoutes(ui)
	e.GET(staticRoutePrefix+"*", echo.WrapHandler(http.StripPrefix(staticRoutePrefix, staticHandler())))

	if a.Simulator != nil {
		e.Any("/sim/*", echo.WrapHandler(http.StripPrefix("/sim", a.Simulator.Handler())))
	}

	return e
}
