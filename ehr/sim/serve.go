package sim

import (
	"context"
	"net"
	"net/http"
	"time"
)

// serve writes the response of handle unless a fault fires for target. A
// fired fault decides whether handle runs and what the client gets. The
// request body must be read before serve is called.
func (s *Simulator) serve(w http.ResponseWriter, r *http.Request, target faultTarget, handle func() response) {
	fault, fired := s.fireFault(target)
	if !fired {
		writeResponse(w, handle())
		return
	}
	s.logger.Info("fault fired", "fault_id", fault.ID, "mode", fault.Mode, "system", target.system, "path", target.path)

	latency := time.Duration(fault.LatencyMs) * time.Millisecond
	storesCall := fault.Mode == ModeLatency || fault.Mode == ModeResetAfterStore
	if storesCall {
		time.Sleep(latency)
	} else if !sleepContext(r.Context(), latency) {
		return // the client went away, and the fault would store nothing
	}

	switch fault.Mode {
	case ModeStatus:
		fault.writeStatus(w)
	case ModeReset:
		s.resetConnection(w)
	case ModeResetAfterStore:
		handle()
		s.resetConnection(w)
	case ModeTimeout:
		s.holdRequest(w, r)
	default: // ModeLatency
		writeResponse(w, handle())
	}
}

// sleepContext waits for d and reports false if ctx ended first.
func sleepContext(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()

	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

// holdRequest waits for the client to go away, or responds with 504 after
// timeoutHold.
func (s *Simulator) holdRequest(w http.ResponseWriter, r *http.Request) {
	if sleepContext(r.Context(), s.timeoutHold) {
		writeResponse(w, errorResponse(http.StatusGatewayTimeout, "injected fault"))
	}
}

// resetConnection closes the client's connection without a response. A zero
// linger time makes the close send a TCP RST, which the client reads as
// "connection reset by peer".
func (s *Simulator) resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 and some wrappers cannot hijack. Aborting the handler drops
		// the connection (HTTP/1) or the stream (HTTP/2) instead.
		s.logger.Warn("hijacking the connection for a reset fault failed", "error", err)
		panic(http.ErrAbortHandler)
	}

	// Closing a TLS connection's underlying connection skips the TLS close
	// alert, so the client sees the same reset as over plain TCP.
	raw := conn
	if wrapped, ok := conn.(interface{ NetConn() net.Conn }); ok {
		raw = wrapped.NetConn()
	}
	if tcp, ok := raw.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	if err := raw.Close(); err != nil {
		s.logger.Warn("closing the connection for a reset fault failed", "error", err)
	}
}
