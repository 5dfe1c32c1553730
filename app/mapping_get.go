package app

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

// mappingBody is a mapping version in API responses.
type mappingBody struct {
	EHRName   string `json:"ehrName"`
	Family    string `json:"family"`
	Version   int    `json:"version"`
	Comment   string `json:"comment,omitempty"`
	CreatedAt string `json:"createdAt"`
	Config    any    `json:"mappingConfig"`
}

// handleGetMapping is GET /ehr/mapping/:ehrName: the current version,
// served through the cache.
func (a *App) handleGetMapping(c echo.Context) error {
	entry, err := a.lookupMapping(c.Request().Context(), c.Param("ehrName"))
	if err != nil {
		return err
	}
	body, err := a.mappingBodies.body(entry.System, entry.Mapping)
	if err != nil {
		return internalError(err)
	}

	return c.JSONBlob(http.StatusOK, body)
}

// handleGetMappingVersion is GET /ehr/mapping/:ehrName/versions/:version.
func (a *App) handleGetMappingVersion(c echo.Context) error {
	system, row, err := a.mappingVersionFromPath(c)
	if err != nil {
		return err
	}
	mapping, err := toMapping(system, row)
	if err != nil {
		return err
	}

	return c.JSON(http.StatusOK, toMappingBody(system, mapping))
}

// mappingVersionFromPath loads the EHR system and the mapping version named
// by the :ehrName and :version path parameters.
func (a *App) mappingVersionFromPath(c echo.Context) (store.System, store.MappingVersion, error) {
	ctx := c.Request().Context()
	system, err := a.findSystem(ctx, c.Param("ehrName"))
	if err != nil {
		return store.System{}, store.MappingVersion{}, err
	}
	version, err := strconv.Atoi(c.Param("version"))
	if err != nil || version < 1 {
		return system, store.MappingVersion{}, newAPIError(http.StatusBadRequest, "invalid_path_parameter", "version")
	}

	row, err := a.Store.Mapping(ctx, system.ID, version)
	if errors.Is(err, store.ErrNotFound) {
		return system, row, newAPIError(http.StatusNotFound, "mapping_version_not_found", system.Name, version)
	}
	if err != nil {
		return system, row, storeFailure(err)
	}

	return system, row, nil
}

// timeFormat is the timestamp layout of API responses.
const timeFormat = "2006-01-02T15:04:05.000Z07:00"

type mappingVersionItem struct {
	Version   int    `json:"version"`
	Comment   string `json:"comment,omitempty"`
	CreatedBy string `json:"createdBy,omitempty"`
	CreatedAt string `json:"createdAt"`
}

// handleListMappingVersions is GET /ehr/mapping/:ehrName/versions.
func (a *App) handleListMappingVersions(c echo.Context) error {
	ctx := c.Request().Context()
	system, err := a.findSystem(ctx, c.Param("ehrName"))
	if err != nil {
		return err
	}
	rows, err := a.Store.MappingVersions(ctx, system.ID)
	if err != nil {
		return storeFailure(err)
	}

	items := make([]mappingVersionItem, len(rows))
	for i, row := range rows {
		items[i] = mappingVersionItem{Version: row.Version, Comment: row.Comment, CreatedBy: row.CreatedBy, CreatedAt: row.CreatedAt.UTC().Format(timeFormat)}
	}

	return c.JSON(http.StatusOK, map[string]any{"ehrName": system.Name, "versions": items})
}

func toMappingBody(system store.System, mapping ehr.Mapping) mappingBody {
	return mappingBody{
		EHRName: system.Name, Family: system.Family, Version: mapping.Version, Comment: mapping.Comment,
		CreatedAt: mapping.CreatedAt.UTC().Format(timeFormat), Config: mapping.Config,
	}
}
