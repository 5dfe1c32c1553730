package app

import "github.com/labstack/echo/v4"

// sendPageIsHTMX reports whether htmx sent the request, so that the
// response is a fragment instead of a whole page.
func sendPageIsHTMX(c echo.Context) bool {
	return c.Request().Header.Get("HX-Request") == "true"
}

// sendPageNoStore keeps browsers and proxies from storing a page that may
// show patient data.
func sendPageNoStore(c echo.Context) {
	c.Response().Header().Set("Cache-Control", "no-store")
}

// sendPageRetarget makes htmx swap the response in place of the element
// that target selects, instead of the request's own target.
func sendPageRetarget(c echo.Context, target string) {
	header := c.Response().Header()
	header.Set("HX-Retarget", target)
	header.Set("HX-Reswap", "outerHTML")
}
