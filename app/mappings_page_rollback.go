package app

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"ehrbridge/views"
)

// handleMappingRollbackPage is POST /mappings/:ehrName/rollback/:version:
// save an earlier version's config as the next version, as the API's
// rollback does, and go back to the history, where the new version shows.
func (a *App) handleMappingRollbackPage(c echo.Context) error {
	system, saved, err := a.rollBackMapping(c)
	if err != nil {
		return err
	}
	restored := c.Param("version")
	query := url.Values{"rolledBack": {strconv.Itoa(saved.Version)}, "restored": {restored}}

	return c.Redirect(http.StatusSeeOther, views.MappingURL(system.Name, "versions")+"?"+query.Encode())
}
