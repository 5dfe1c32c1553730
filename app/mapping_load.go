package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

// findSystem returns the EHR system named name (case-insensitively), or a
// 404 APIError naming it.
func (a *App) findSystem(ctx context.Context, name string) (store.System, error) {
	system, err := a.Store.FindSystem(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return store.System{}, newAPIError(http.StatusNotFound, "unknown_ehr", name)
	}
	if err != nil {
		return store.System{}, storeFailure(err)
	}

	return system, nil
}

// currentMapping loads the newest mapping version of system.
func (a *App) currentMapping(ctx context.Context, system store.System) (ehr.Mapping, error) {
	row, err := a.Store.CurrentMapping(ctx, system.ID)
	if errors.Is(err, store.ErrNotFound) {
		return ehr.Mapping{}, newAPIError(http.StatusNotFound, "mapping_not_found", system.Name)
	}
	if err != nil {
		return ehr.Mapping{}, storeFailure(err)
	}

	return toMapping(system, row)
}

// toMapping decodes a stored mapping version.
func toMapping(system store.System, row store.MappingVersion) (ehr.Mapping, error) {
	mapping := ehr.Mapping{EHRName: system.Name, Version: row.Version, Comment: row.Comment, CreatedAt: row.CreatedAt}
	if err := json.Unmarshal(row.Config, &mapping.Config); err != nil {
		return ehr.Mapping{}, internalError(fmt.Errorf("decoding mapping %d of EHR system %d: %w", row.Version, system.ID, err))
	}

	return mapping, nil
}

// storeFailure answers a database error: 503 when PostgreSQL cannot be
// reached, 500 otherwise.
func storeFailure(err error) error {
	if isDatabaseUnavailable(err) {
		return &APIError{Status: http.StatusServiceUnavailable, Code: "database_unavailable", Cause: err}
	}

	return internalError(err)
}
