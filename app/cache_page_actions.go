package app

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"ehrbridge/views"
)

// handleCacheInvalidatePage is POST /cache/invalidate: drop the mapping of
// the EHR named by the form field ehr from every tier on every running
// copy, record it in the audit log and go back to the cache page.
func (a *App) handleCacheInvalidatePage(c echo.Context) error {
	ctx := c.Request().Context()
	system, err := a.findSystem(ctx, strings.TrimSpace(c.FormValue("ehr")))
	if err != nil {
		return err
	}
	if err := a.Cache.Invalidate(ctx, system.Name); err != nil {
		return cacheFailure(err)
	}
	a.audit(c, auditCacheInvalidate, system.Name, nil)

	return c.Redirect(http.StatusSeeOther, "/cache?invalidated="+url.QueryEscape(system.Name))
}

// handleCacheClearPage is POST /cache/clear. Without confirm=yes it shows
// the confirmation page. With it, it drops every cached mapping on every
// running copy, records it in the audit log and goes back to the cache page.
func (a *App) handleCacheClearPage(c echo.Context) error {
	if c.FormValue("confirm") != "yes" {
		props := views.CacheClearConfirmProps{Page: a.page(c, "page.cache.confirm_title")}
		return render(c, http.StatusOK, views.CacheClearConfirm(props))
	}
	if err := a.Cache.Clear(c.Request().Context()); err != nil {
		return cacheFailure(err)
	}
	a.audit(c, auditCacheClear, "", nil)

	return c.Redirect(http.StatusSeeOther, "/cache?cleared=1")
}
