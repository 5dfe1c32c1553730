package app

import (
	"context"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"ehrbridge/views"
)

// handleHome is GET /: the admin UI's start page.
func (a *App) handleHome(c echo.Context) error {
	systems, err := a.Store.ListSystems(c.Request().Context())
	if err != nil {
		return storeFailure(err)
	}
	props := views.HomeProps{Page: a.page(c, "page.home.title")}
	for _, system := range systems {
		props.Systems = append(props.Systems, views.SystemRow{
			Name: system.Name, Family: system.Family, BaseURL: system.BaseURL, Simulator: IsSimulatorURL(system.BaseURL),
		})
	}

	return render(c, http.StatusOK, views.Home(props))
}

// page fills the per-request props every page shares.
func (a *App) page(c echo.Context, titleKey string) views.Page {
	tag := a.requestLanguage(c)
	translate := func(key string, args ...any) string { return a.Catalog.Text(tag, key, args...) }

	return views.Page{
		Lang: tag.String(), Title: translate(titleKey), Path: c.Request().URL.Path,
		CSRFToken: csrfToken(c), T: translate, Asset: assetPath,
	}
}

// render writes a templ component as an HTML answer.
func render(c echo.Context, status int, component interface {
	Render(ctx context.Context, w io.Writer) error
}) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)

	return component.Render(c.Request().Context(), c.Response())
}
