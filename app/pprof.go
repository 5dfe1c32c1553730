package app

import (
	"context"
	"errors"
	"net/http"
	"net/http/pprof"
	"time"
)

// servePprof serves Go's runtime profiles on PPROF_ADDR until ctx ends. It
// is a separate listener, never the public one, because a heap profile can
// contain request data.
func (a *App) servePprof(ctx context.Context) {
	if a.Config.PprofAddr == "" {
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	server := &http.Server{Addr: a.Config.PprofAddr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	go func() {
		<-ctx.Done()
		_ = server.Close()
	}()
	a.Logger.Warn("serving pprof profiles", "address", a.Config.PprofAddr)
	if err := server.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		a.Logger.Error("pprof listener stopped", "error", err)
	}
}
