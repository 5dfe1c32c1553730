package app

import (
	"ehrbridge/app/store"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// handleRollbackMapping is POST /ehr/mapping/:ehrName/rollback/:version:
// save an earlier version's config as the next version. History is never
// rewritten, so the rollback itself shows in the version list.
func (a *App) handleRollbackMapping(c echo.Context) error {
	system, saved, err := a.rollBackMapping(c)
	if err != nil {
		return err
	}
	mapping, err := toMapping(system, saved)
	if err != nil {
		return err
	}

	return c.JSON(http.StatusCreated, toMappingBody(system, mapping))
}

// rollBackMapping stores the version named in the path as the next one.
func (a *App) rollBackMapping(c echo.Context) (store.System, store.MappingVersion, error) {
	system, old, err := a.mappingVersionFromPath(c)
	if err != nil {
		return system, old, err
	}
	comment := fmt.Sprintf("rollback to version %d", old.Version)
	saved, err := a.storeMappingVersion(c, system, old.Config, comment, auditMappingRollback,
		map[string]any{"restoredVersion": old.Version})

	return system, saved, err
}
