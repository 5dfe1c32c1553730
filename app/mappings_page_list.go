package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"ehrbridge/views"
)

// handleMappingsPage is GET /mappings: every EHR system with its current
// mapping version.
func (a *App) handleMappingsPage(c echo.Context) error {
	ctx := c.Request().Context()
	systems, err := a.Store.ListSystems(ctx)
	if err != nil {
		return storeFailure(err)
	}
	current, err := a.Store.CurrentMappingVersions(ctx)
	if err != nil {
		return storeFailure(err)
	}

	tag := a.requestLanguage(c)
	props := views.MappingsListProps{Page: a.page(c, "page.mappings.title")}
	for _, system := range systems {
		row := views.MappingListRow{Name: system.Name, Family: system.Family}
		if version, ok := current[system.ID]; ok {
			row.Version = version.Version
			row.Comment, row.CreatedBy = a.mappingCommentText(tag, version.Comment), a.mappingAuthorText(tag, version.CreatedBy)
			row.CreatedAt = version.CreatedAt.UTC().Format(configTimeLayout)
		}
		props.Systems = append(props.Systems, row)
	}

	return render(c, http.StatusOK, views.MappingsList(props))
}
