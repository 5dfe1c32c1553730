package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"ehrbridge/ehr/sim"
)

// ServeSimulator runs the EHR simulator alone on address until ctx is done.
func ServeSimulator(ctx context.Context, address string, logger *slog.Logger) error {
	server := &http.Server{
		Addr:              address,
		Handler:           sim.New(sim.Options{Logger: logger}).Handler(),
		ReadHeaderTimeout: 10 * time.Second,
	}
	logger.Info("EHR simulator listening", "address", address)

	served := make(chan error, 1)
	go func() { served <- server.ListenAndServe() }()
	select {
	case err := <-served:
		return fmt.Errorf("serving simulator: %w", err)
	case <-ctx.Done():
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutting down simulator: %w", err)
	}

	return nil
}
