package app

import (
	"context"
	"io"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/auth"
	"ehrbridge/views"
)

// page fills the per-request props every page shares.
func (a *App) page(c echo.Context, titleKey string) views.Page {
	tag := a.requestLanguage(c)
	translate := func(key string, args ...any) string { return a.Catalog.Text(tag, key, args...) }

	principal := principalOf(c)
	page := views.Page{
		Lang: tag.String(), Title: translate(titleKey), Path: c.Request().URL.Path, Return: returnPath(c),
		CSRFToken: csrfToken(c), T: translate, Asset: assetPath, Allows: principal.Allows,
		SimulatorMounted: a.Simulator != nil,
	}
	if principal.Kind == auth.User {
		page.Account, page.AccountRole = principal.Name, principal.Role
	}

	return page
}

// render writes a templ component as an HTML answer.
func render(c echo.Context, status int, component interface {
	Render(ctx context.Context, w io.Writer) error
}) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)

	return component.Render(c.Request().Context(), c.Response())
}

// returnPath is the request's path and query without lang, where the
// language switch brings the user back with the filters they had set.
func returnPath(c echo.Context) string {
	query := c.Request().URL.Query()
	query.Del("lang")
	if len(query) == 0 {
		return c.Request().URL.Path
	}

	return c.Request().URL.Path + "?" + query.Encode()
}
