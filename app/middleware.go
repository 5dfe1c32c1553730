package app

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// logRequests writes one log line per request with its id, route, status
// and duration: at info level for 4xx and 5xx responses (refused and failed
// requests), at debug level for the rest. It never logs bodies or query
// strings, which may hold patient data.
func (a *App) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		started := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}

		level := slog.LevelDebug
		if c.Response().Status >= http.StatusBadRequest {
			level = slog.LevelInfo
		}
		a.Logger.Log(c.Request().Context(), level, "request",
			"method", c.Request().Method,
			"route", c.Path(),
			"status", c.Response().Status,
			"duration_ms", time.Since(started).Milliseconds(),
		)

		return nil
	}
}

// recoverPanics turns a panic in a handler into a logged 500.
func (a *App) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if recovered := recover(); recovered != nil {
				a.Logger.Error("handler panicked",
					"request_id", c.Response().Header().Get(echo.HeaderXRequestID),
					"route", c.Path(), "stack", string(debug.Stack()))
				err = internalError(fmt.Errorf("handler panicked on route %s", c.Path()))
			}
		}()

		return next(c)
	}
}

// secureHeaders sets the headers every response carries: no framing, no
// content-type sniffing, a Content-Security-Policy that allows only this
// origin's scripts and styles, and in production HSTS, since production
// runs behind HTTPS.
func (a *App) secureHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	production := !a.Config.Development()
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", contentSecurityPolicy(c.Request().URL.Path))
		h.Set("Cache-Control", "no-store")
		if production {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}

		return next(c)
	}
}

// bulkPaths are the routes that take whole batches of patients.
var bulkPaths = []string{"/ehr" + bulkRoute, "/bulk/preview", "/bulk/submit"}

// limitBody rejects with 413 a request whose declared length is over its
// route's limit (MAX_BULK_REQUEST_BYTES for bulk sends, MAX_REQUEST_BYTES
// otherwise) and cuts off a body that grows past it while being read.
func (a *App) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		limit := a.Config.MaxRequestBytes
		if slices.Contains(bulkPaths, c.Path()) {
			limit = a.Config.MaxBulkBytes
		}
		req := c.Request()
		if req.ContentLength > limit {
			return newAPIError(http.StatusRequestEntityTooLarge, "body_too_large")
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)

		return next(c)
	}
}

// contentSecurityPolicy allows only this origin's scripts and styles. River
// UI, a third-party page for the queue, also sets inline styles, which it
// alone is allowed.
func contentSecurityPolicy(path string) string {
	const base = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
	if strings.HasPrefix(path, riverUIPrefix) {
		return base + "; style-src 'self' 'unsafe-inline'"
	}

	return base
}
