package app

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// handleRollbackMapping is POST /ehr/mapping/:ehrName/rollback/:version:
// save an earlier version's config as the next version. History is never
// rewritten, so the rollback itself shows in the version list.
func (a *App) handleRollbackMapping(c echo.Context) error {
	ctx := c.Request().Context()
	system, old, err := a.mappingVersionFromPath(c)
	if err != nil {
		return err
	}
	version := old.Version
	saved, err := a.Store.SaveMapping(ctx, system.ID, old.Config, fmt.Sprintf("rollback to version %d", version), actorOf(c))
	if err != nil {
		return storeFailure(err)
	}
	mapping, err := toMapping(system, saved)
	if err != nil {
		return err
	}
	a.forgetMapping(ctx, system.Name)
	a.Logger.Info("mapping rolled back", "ehr", system.Name, "from_version", version, "version", saved.Version)
	a.audit(c, auditMappingRollback, system.Name, map[string]any{"version": saved.Version, "restoredVersion": version})

	return c.JSON(http.StatusCreated, toMappingBody(system, mapping))
}
