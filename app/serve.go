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

// ServeListener serves on an open listener, with the queue workers, until
// ctx is done.
func (a *App) ServeListener(ctx context.Context, listener net.Listener) error {
	server := &http.Server{
		Handler:           a.Router(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      a.Config.SyncSendTimeout + 15*time.Second,
		IdleTimeout:       120 * time.Second,
	}
	if err := a.checkReadyToServe(ctx); err != nil {
		return err
	}
	go a.servePprof(ctx)
	if err := a.StartWorkers(ctx); err != nil {
		return err
	}
	a.Logger.Info("listening", "address", listener.Addr().String(), "version", Version,
		"queue_concurrency", a.Config.QueueConcurrency)

	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()

	var serveErr error
	select {
	case err := <-served:
		serveErr = fmt.Errorf("serving HTTP: %w", err)
	case <-ctx.Done():
	}

	return errors.Join(serveErr, a.shutdown(server))
}

// StartWorkers starts working queued deliveries in the background.
func (a *App) StartWorkers(ctx context.Context) error {
	// The workers outlive ctx: shutdown stops them after the HTTP server,
	// so that jobs already running may finish.
	go a.observeJobs(a.lifetime)
	if err := a.Queue.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("starting queue workers: %w", err)
	}

	return nil
}

// shutdown stops taking requests, lets running jobs finish within
// SHUTDOWN_TIMEOUT and cancels those still running. A cancelled job is
// retried by the next process that works the queue.
func (a *App) shutdown(server *http.Server) error {
	a.Logger.Info("shutting down", "grace", a.Config.ShutdownTimeout.String())
	graceCtx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
	defer cancel()

	// In development the EHR simulator is served by this HTTP server, so
	// running jobs need it until they end: drain the workers first. In
	// production the EHRs are elsewhere and both stop at once.
	if a.Simulator != nil {
		workersErr := a.StopWorkers(graceCtx)
		a.stopHTTP(graceCtx, server)
		return workersErr
	}

	stopped := make(chan struct{})
	go func() {
		a.stopHTTP(graceCtx, server)
		close(stopped)
	}()
	workersErr := a.StopWorkers(graceCtx)
	<-stopped

	return workersErr
}

// stopHTTP stops accepting connections and waits for requests in flight
// until ctx is done, then closes the connections still open.
func (a *App) stopHTTP(ctx context.Context, server *http.Server) {
	err := server.Shutdown(ctx)
	if err == nil || errors.Is(err, http.ErrServerClosed) {
		return
	}
	a.Logger.Warn("requests still running at the end of the grace period; closing their connections", "error", err)
	_ = server.Close()
}

// StopWorkers waits for running jobs until ctx is done, then cancels them.
func (a *App) StopWorkers(ctx context.Context) error {
	err := a.Queue.Stop(ctx)
	if err == nil {
		return nil
	}
	a.Logger.Warn("jobs still running at the end of the grace period; cancelling them", "error", err)
	cancelCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Queue.StopAndCancel(cancelCtx); err != nil {
		return fmt.Errorf("stopping queue workers: %w", err)
	}

	return nil
}
