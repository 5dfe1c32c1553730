package app

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// registerOperationsRoutes adds the operations pages: the dashboard,
// transactions, the queue (with River UI), the cache and the simulator
// inbox.
func (a *App) registerOperationsRoutes(ui *echo.Group) {
	ui.GET("/dashboard", func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, "/") })
	ui.GET("/dashboard/live", a.handleDashboardLive)

	ui.GET("/transactions", a.handleTransactionsPage)
	ui.GET("/transactions/:id", a.handleTransactionDetailPage)
	ui.GET("/transactions/:id/live", a.handleTransactionLive)
	ui.POST("/transactions/:id/retry", a.handleTransactionRetryPage)
	ui.POST("/transactions/:id/reveal", a.handleTransactionRevealPage)

	ui.GET("/queue", a.handleQueuePage)
	ui.POST("/queue/jobs/:id/retry", a.handleQueueJobRetryPage)
	a.mountRiverUI(ui)

	ui.GET("/cache", a.handleCachePage)
	ui.POST("/cache/invalidate", a.handleCacheInvalidatePage)
	ui.POST("/cache/clear", a.handleCacheClearPage)

	ui.GET("/simulator", a.handleSimulatorPage)
	ui.POST("/simulator/reset", a.handleSimulatorResetPage)
	ui.POST("/simulator/faults/clear", a.handleSimulatorClearFaultsPage)
}
