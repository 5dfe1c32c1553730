package app

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
	"ehrbridge/views"
)

// configTimeLayout is the time layout of the configuration pages, in UTC.
const configTimeLayout = "2006-01-02 15:04 MST"

// handleMappingVersionsPage is GET /mappings/:ehrName/versions: every
// version with its comment, author and time, and with ?from=A&to=B a
// side-by-side diff of two of them. After a rollback, ?rolledBack=N and
// ?restored=V add a notice naming the new and the restored version.
func (a *App) handleMappingVersionsPage(c echo.Context) error {
	ctx := c.Request().Context()
	system, err := a.findSystem(ctx, c.Param("ehrName"))
	if err != nil {
		return err
	}
	rows, err := a.Store.MappingVersions(ctx, system.ID)
	if err != nil {
		return storeFailure(err)
	}

	tag := a.requestLanguage(c)
	props := views.MappingVersionsProps{Page: a.page(c, "page.mappings.versions_title"), EHRName: system.Name}
	for _, row := range rows {
		props.Versions = append(props.Versions, views.MappingVersionRow{
			Version: row.Version, Comment: a.mappingCommentText(tag, row.Comment), CreatedBy: a.mappingAuthorText(tag, row.CreatedBy),
			CreatedAt: row.CreatedAt.UTC().Format(configTimeLayout),
		})
	}
	if len(rows) > 0 {
		props.Current = rows[0].Version
		props.From, props.To = max(props.Current-1, 1), props.Current
	}
	if err := a.fillMappingDiff(c, system, &props); err != nil {
		return err
	}
	rolledBack, _ := strconv.Atoi(c.QueryParam("rolledBack"))
	restored, _ := strconv.Atoi(c.QueryParam("restored"))
	if rolledBack > 0 && restored > 0 {
		props.Notice = props.T("page.mappings.rollback_notice", rolledBack, restored)
	}

	return render(c, http.StatusOK, views.MappingVersions(props))
}

// fillMappingDiff compares the versions that ?from and ?to name, when the
// query names any.
func (a *App) fillMappingDiff(c echo.Context, system store.System, props *views.MappingVersionsProps) error {
	rawFrom, rawTo := c.QueryParam("from"), c.QueryParam("to")
	if rawFrom == "" && rawTo == "" {
		return nil
	}
	from, errFrom := strconv.Atoi(rawFrom)
	to, errTo := strconv.Atoi(rawTo)
	if errFrom != nil || errTo != nil || from < 1 || to < 1 {
		return newAPIError(http.StatusBadRequest, "invalid_query")
	}

	ctx := c.Request().Context()
	older, err := a.mappingVersion(ctx, system, from)
	if err != nil {
		return err
	}
	newer, err := a.mappingVersion(ctx, system, to)
	if err != nil {
		return err
	}
	props.From, props.To = from, to
	props.Diff = &views.MappingDiff{From: from, To: to, Endpoints: diffMappings(older.Config, newer.Config)}

	return nil
}

// mappingVersion loads and decodes one version, or returns a 404 error.
func (a *App) mappingVersion(ctx context.Context, system store.System, version int) (ehr.Mapping, error) {
	row, err := a.Store.Mapping(ctx, system.ID, version)
	if errors.Is(err, store.ErrNotFound) {
		return ehr.Mapping{}, newAPIError(http.StatusNotFound, "mapping_version_not_found", system.Name, version)
	}
	if err != nil {
		return ehr.Mapping{}, storeFailure(err)
	}

	return toMapping(system, row)
}
