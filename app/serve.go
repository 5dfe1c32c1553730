package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Serve listens on the configured address and serves until ctx is done,
// then stops taking requests and waits up to SHUTDOWN_TIMEOUT for those in
// flight.
func (a *App) Serve(ctx context.Context) error {
	listener, err := net.Listen("tcp", a.Config.ListenAddress())
	if err != nil {
		return fmt.Errorf("listening on %s: %w", a.Config.ListenAddress(), err)
	}

	return a.ServeListener(ctx, listener)
}

// ServeListener serves on an open listener until ctx is done.
func (a *App) ServeListener(ctx context.Context, listener net.Listener) error {
	server := &http.Server{
		Handler:           a.Router(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      a.Config.SyncSendTimeout + 15*time.Second,
		IdleTimeout:       120 * time.Second,
	}
	if a.Config.Development() {
		a.Logger.Warn("development mode: no authentication, EHR simulator mounted under /sim/; do not use with real patient data")
	}
	a.Logger.Info("listening", "address", listener.Addr().String(), "version", Version)

	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()

	select {
	case err := <-served:
		return fmt.Errorf("serving HTTP: %w", err)
	case <-ctx.Done():
	}

	a.Logger.Info("shutting down", "grace", a.Config.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutting down HTTP server: %w", err)
	}

	return nil
}
