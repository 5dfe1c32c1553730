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
	Status    string     `json:"status"`
	LatencyMS int64      `json:"latencyMs,omitempty"`
	Error     string     `json:"error,omitempty"`
	Since     *time.Time `json:"since,omitempty"`
}

type healthBody struct {
	Status  string                 `json:"status"`
	Version string                 `json:"version"`
	Env     string                 `json:"env"`
	Checks  map[string]healthCheck `json:"checks"`
}

// handleHealth is GET /health: 200 "ok" when the database and Redis
// answer, 200 "degraded" when only Redis is down (sends still work from
// PostgreSQL), 503 "down" when the database does not answer.
func (a *App) handleHealth(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), healthCheckTimeout)
	defer cancel()

	checks := map[string]healthCheck{"database": a.checkDatabase(ctx), "redis": a.checkRedis(ctx)}
	body := healthBody{Status: "ok", Version: Version, Env: a.Config.Env, Checks: checks}
	status := http.StatusOK
	switch {
	case checks["database"].Status != "ok":
		body.Status = "down"
		status = http.StatusServiceUnavailable
	case checks["redis"].Status != "ok":
		body.Status = "degraded"
	}

	return c.JSON(status, body)
}

func (a *App) checkDatabase(ctx context.Context) healthCheck {
	started := time.Now()
	check := healthCheck{Status: "ok"}
	if err := a.Store.Ping(ctx); err != nil {
		check.Status = "down"
		check.Error = "database did not answer"
		a.Logger.WarnContext(ctx, "health check: database unreachable", "error", err)
	}
	check.LatencyMS = time.Since(started).Milliseconds()

	return check
}

// checkRedis pings Redis through the cache, which records the outcome,
// and reports the cache's view of Redis.
func (a *App) checkRedis(ctx context.Context) healthCheck {
	health := a.Cache.CheckRedis(ctx)
	if health.Up {
		return healthCheck{Status: "ok"}
	}

	return healthCheck{Status: "down", Error: health.Reason, Since: &health.Since}
}
