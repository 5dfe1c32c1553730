package app

import (
	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
)

// storeMappingVersion saves config as the system's next mapping version,
// drops the old one from the cache of every running copy, and writes action
// to the audit log with details and the new version. Saves and rollbacks,
// from the API and the admin pages, all go through it.
func (a *App) storeMappingVersion(c echo.Context, system store.System, config []byte, comment, action string, details map[string]any) (store.MappingVersion, error) {
	ctx := c.Request().Context()
	saved, err := a.Store.SaveMapping(ctx, system.ID, config, comment, principalOf(c).Actor())
	if err != nil {
		return store.MappingVersion{}, storeFailure(err)
	}
	a.forgetMapping(ctx, system.Name)
	a.Logger.InfoContext(c.Request().Context(), "mapping version stored", "ehr", system.Name, "action", action, "version", saved.Version)

	if details == nil {
		details = map[string]any{}
	}
	details["version"] = saved.Version
	a.audit(c, action, system.Name, details)

	return saved, nil
}
