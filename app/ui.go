package app

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Names of the cookies the admin UI sets.
const (
	languageCookie = "ehrbridge_lang"
	csrfCookie     = "ehrbridge_csrf"
	csrfContextKey = "csrf"
)

// uiGroup returns the route group of the admin pages: every state-changing
// request must carry the CSRF token from its form (_csrf) or, for HTMX, the
// X-CSRF-Token header.
func (a *App) uiGroup(e *echo.Echo) *echo.Group {
	return e.Group("", middleware.CSRFWithConfig(middleware.CSRFConfig{
		// A group without a prefix also catches requests no route
		// matched (route "/*"); those get their 404 or 405, not a CSRF error.
		Skipper:        func(c echo.Context) bool { return c.Path() == "/*" || c.Path() == "" },
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		ContextKey:     csrfContextKey,
		CookieName:     csrfCookie,
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   !a.Config.Development(),
		CookieSameSite: http.SameSiteStrictMode,
		ErrorHandler: func(err error, c echo.Context) error {
			return newAPIError(http.StatusForbidden, "csrf_invalid")
		},
	}))
}

// handleLanguage is GET /lang/:code: remember the language in a cookie and
// go back to the page named by ?next.
func (a *App) handleLanguage(c echo.Context) error {
	tag := a.Catalog.Resolve(c.Param("code"), "", "")
	c.SetCookie(&http.Cookie{
		Name: languageCookie, Value: tag.String(), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: !a.Config.Development(),
	})

	return c.Redirect(http.StatusSeeOther, localPath(c.QueryParam("next")))
}

// localPath returns next when it is a path on this server, and "/" for
// anything else, so the language switch cannot send a user elsewhere.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/"
	}

	return next
}

// wantsHTML reports whether an error should be rendered as a page: any
// request outside the JSON API, the simulator, the health check and the
// metrics.
func wantsHTML(c echo.Context) bool {
	path := c.Request().URL.Path
	for _, prefix := range []string{"/ehr/", "/sim/", "/health", "/metrics", "/static/"} {
		if strings.HasPrefix(path, prefix) {
			return false
		}
	}

	return true
}

// csrfToken is the request's CSRF token, empty when the browser has none.
func csrfToken(c echo.Context) string {
	if token, _ := c.Get(csrfContextKey).(string); token != "" {
		return token
	}
	// A request refused before the CSRF check (an error page for a page
	// the role may not open) reuses the browser's token, so the page's
	// sign-out form still works.
	if cookie, err := c.Cookie(csrfCookie); err == nil {
		return cookie.Value
	}

	return ""
}

// handleFavicon is GET /favicon.ico, which browsers request on every page:
// there is no icon, and the empty 204 response says so without an error.
func handleFavicon(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")

	return c.NoContent(http.StatusNoContent)
}
