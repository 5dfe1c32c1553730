package app

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// handleCacheStats is GET /ehr/cache/stats: hits, misses, hit rate,
// entries and lookup times of each tier, and whether Redis works.
func (a *App) handleCacheStats(c echo.Context) error {
	return c.JSON(http.StatusOK, a.Cache.Stats())
}

// handleCacheInvalidate is POST /ehr/cache/invalidate/:ehrName: drop one
// EHR's mapping from every tier on every running copy.
func (a *App) handleCacheInvalidate(c echo.Context) error {
	ctx := c.Request().Context()
	system, err := a.findSystem(ctx, c.Param("ehrName"))
	if err != nil {
		return err
	}
	if err := a.Cache.Invalidate(ctx, system.Name); err != nil {
		return cacheFailure(err)
	}
	a.audit(c, auditCacheInvalidate, system.Name, nil)

	return c.JSON(http.StatusOK, map[string]any{"invalidated": system.Name})
}

// handleCacheClear is POST /ehr/cache/clear: drop every cached mapping on
// every running copy.
func (a *App) handleCacheClear(c echo.Context) error {
	if err := a.Cache.Clear(c.Request().Context()); err != nil {
		return cacheFailure(err)
	}
	a.audit(c, auditCacheClear, "", nil)

	return c.JSON(http.StatusOK, map[string]any{"cleared": true})
}

// cacheFailure answers an invalidation Redis could not take: 503, since
// other copies may keep the old mapping until CACHE_LOCAL_TTL ends.
func cacheFailure(err error) error {
	return &APIError{Status: http.StatusServiceUnavailable, Code: "cache_unavailable", Cause: err}
}
