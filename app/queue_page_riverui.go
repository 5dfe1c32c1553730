package app

import (
	"context"
	"log/slog"
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"
	"riverqueue.com/riverui"
)

// riverUIPrefix is the path of River UI, the queue's own inspection
// pages.
const riverUIPrefix = "/admin/riverui"

// riverUIMount serves River UI and starts its background services on the
// first request, so an app that never opens it runs none of them.
type riverUIMount struct {
	handler  *riverui.Handler
	start    sync.Once
	logger   *slog.Logger
	lifetime context.Context
}

// ServeHTTP starts River UI once, then serves the request.
func (m *riverUIMount) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m.start.Do(func() {
		// The services only refresh cached job counts; they stop when the
		// app closes.
		if err := m.handler.Start(m.lifetime); err != nil {
			m.logger.Error("starting River UI failed", "error", err)
		}
	})
	m.handler.ServeHTTP(w, r)
}

// mountRiverUI adds River UI under riverUIPrefix.
func (a *App) mountRiverUI(ui *echo.Group) {
	logger := a.Logger.With("component", "riverui")
	handler, err := riverui.NewHandler(&riverui.HandlerOpts{
		Endpoints: riverui.NewEndpoints(a.Queue, nil),
		Prefix:    riverUIPrefix,
		Logger:    logger,
	})
	if err != nil {
		a.Logger.Error("River UI not mounted", "error", err)
		return
	}
	serve := echo.WrapHandler(&riverUIMount{handler: handler, logger: logger, lifetime: a.lifetime})
	ui.Any(riverUIPrefix, serve)
	ui.Any(riverUIPrefix+"/*", serve)
}
