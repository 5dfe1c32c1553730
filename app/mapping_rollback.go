package app

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
)

// handleRollbackMapping is POST /ehr/mapping/:ehrName/rollback/:version:
// save an earlier version's config as the next version. History is never
// rewritten, so the rollback itself shows in the version list.
func (a *App) handleRollbackMapping(c echo.Context) error {
	ctx := c.Request().Context()
	system, err := a.findSystem(ctx, c.Param("ehrName"))
	if err != nil {
		return err
	}
	version, err := strconv.Atoi(c.Param("version"))
	if err != nil || version < 1 {
		return newAPIError(http.StatusBadRequest, "invalid_path_parameter", "version")
	}

	old, err := a.Store.Mapping(ctx, system.ID, version)
	if errors.Is(err, store.ErrNotFound) {
		return newAPIError(http.StatusNotFound, "mapping_version_not_found", system.Name, version)
	}
	if err != nil {
		return storeFailure(err)
	}
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
