package app

import (
	"fmt"
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
	ctx := c.Request().Context()
	system, old, err := a.mappingVersionFromPath(c)
	if err != nil {
		return err
	}
	saved, err := a.Store.SaveMapping(ctx, system.ID, old.Config, fmt.Sprintf("rollback to version %d", old.Version), actorOf(c))
	if err != nil {
		return storeFailure(err)
	}
	a.forgetMapping(ctx, system.Name)
	a.Logger.Info("mapping rolled back", "ehr", system.Name, "from_version", old.Version, "version", saved.Version)
	a.audit(c, auditMappingRollback, system.Name, map[string]any{"version": saved.Version, "restoredVersion": old.Version})

	query := url.Values{"rolledBack": {strconv.Itoa(saved.Version)}, "restored": {strconv.Itoa(old.Version)}}

	return c.Redirect(http.StatusSeeOther, views.MappingURL(system.Name, "versions")+"?"+query.Encode())
}
