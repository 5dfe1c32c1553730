package app

import (
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
)

// unmatchedRoute labels requests no route matched, so arbitrary paths do
// not each make a new series.
const unmatchedRoute = "unmatched"

// observeRequests counts each request and its duration by route pattern,
// method and status.
func (a *App) observeRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		started := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}

		route := c.Path()
		if route == "" || route == "/*" {
			route = unmatchedRoute
		}
		method := c.Request().Method
		if !knownMethod(method) {
			method = "other"
		}
		a.metrics.httpRequests.WithLabelValues(route, method, strconv.Itoa(c.Response().Status)).Inc()
		a.metrics.httpDuration.WithLabelValues(route, method).Observe(time.Since(started).Seconds())

		return nil
	}
}

func knownMethod(method string) bool {
	switch method {
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS":
		return true
	}

	return false
}
