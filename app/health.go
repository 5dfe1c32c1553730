package app

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// healthCheckTimeout bounds each dependency check of GET /health.
const healthCheckTimeout = 2 * time.Second

type healthCheck struct {
	Status    string `json:"status"`
	LatencyMS int64  `json:"latencyMs"`
	Error     string `json:"error,omitempty"`
}

type healthBody struct {
	Status  string                 `json:"status"`
	Version string                 `json:"version"`
	Env     string                 `json:"env"`
	Checks  map[string]healthCheck `json:"checks"`
}

// handleHealth is GET /health: 200 when the database answers, 503 when it
// does not.
func (a *App) handleHealth(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), healthCheckTimeout)
	defer cancel()

	started := time.Now()
	database := healthCheck{Status: "ok"}
	if err := a.Store.Ping(ctx); err != nil {
		database.Status = "down"
		database.Error = "database did not answer"
		a.Logger.Warn("health check: database unreachable", "error", err)
	}
	database.LatencyMS = time.Since(started).Milliseconds()

	body := healthBody{Status: "ok", Version: Version, Env: a.Config.Env, Checks: map[string]healthCheck{"database": database}}
	status := http.StatusOK
	if database.Status != "ok" {
		body.Status = "down"
		status = http.StatusServiceUnavailable
	}

	return c.JSON(status, body)
}
