package sim

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
)

// Fault modes.
const (
	// ModeStatus responds with Status, the Retry-After header when
	// RetryAfterSeconds is set, and {"error":"injected fault"}, and records
	// nothing.
	ModeStatus = "status"
	// ModeReset reads the request, then closes the TCP connection without a
	// response and records nothing.
	//
	// NOTE: Go's http.Transport (Go 1.26, net/http/transport.go) retries a
	// replayable request when a reused connection fails before the
	// first response byte. GET, HEAD, OPTIONS and TRACE requests are
	// replayable, and so is a request with a rewindable body and an
	// Idempotency-Key header. A fault with Times 1 can therefore be used up
	// without the client seeing an error.
	ModeReset = "reset"
	// ModeResetAfterStore records the call and its idempotency response,
	// then closes the connection without a response. It plays an EHR that
	// stored the call but whose response was lost.
	ModeResetAfterStore = "reset_after_store"
	// ModeTimeout holds the request until the client goes away, or responds
	// with 504 after 60 seconds, and records nothing.
	ModeTimeout = "timeout"
	// ModeLatency waits LatencyMs, then handles the request normally. The
	// call is recorded even when the client gives up during the wait, like
	// a slow EHR that finishes its work.
	ModeLatency = "latency"
)

// Fault makes matching requests fail or slow down.
type Fault struct {
	// ID is assigned by AddFault.
	ID string `json:"id"`
	// System limits the fault to "athena", "unity" or "rest". An empty
	// System matches every system.
	System string `json:"system"`
	// Match is a case-sensitive substring of the request path (relative to
	// the handler root) or of the Unity action. An empty Match matches every
	// data call, patient creation included. Token requests match only a
	// non-empty Match found in their path, such as "token" (athena) or
	// "GetToken" (Unity). A malformed MagicJson body is rejected before
	// faults apply, because its action cannot be read.
	Match string `json:"match"`
	// Mode is one of the Mode constants. An empty Mode means ModeStatus.
	Mode string `json:"mode"`
	// Status is the response status of ModeStatus, 400 to 599. Zero means
	// 503.
	Status int `json:"status"`
	// RetryAfterSeconds, when greater than 0, sets the Retry-After header of
	// a ModeStatus response to this many seconds. Other modes reject it,
	// because they send no response or the normal one.
	RetryAfterSeconds int `json:"retryAfterSeconds"`
	// LatencyMs is a delay in milliseconds added before acting, in every
	// mode.
	LatencyMs int `json:"latencyMs"`
	// Rate is the probability that a matching request fires the fault,
	// greater than 0 and at most 1. Zero means 1.
	Rate float64 `json:"rate"`
	// Times is the number of firings after which the fault is removed. Zero
	// keeps it until it is removed by hand.
	Times int `json:"times"`
	// Fired counts the firings so far. AddFault ignores the given value.
	Fired int `json:"fired"`
}

// normalized returns the fault with defaults filled in, or an error naming
// the invalid field.
func (f Fault) normalized() (Fault, error) {
	f.ID, f.Fired = "", 0
	if f.Mode == "" {
		f.Mode = ModeStatus
	}
	if f.Mode == ModeStatus && f.Status == 0 {
		f.Status = http.StatusServiceUnavailable
	}
	if f.Rate == 0 {
		f.Rate = 1
	}

	switch {
	case f.System != "" && !knownSystem(f.System):
		return Fault{}, fmt.Errorf("invalid fault system %q: use athena, unity, rest or leave it empty", f.System)
	case !knownMode(f.Mode):
		return Fault{}, fmt.Errorf("invalid fault mode %q: use status, reset, reset_after_store, timeout or latency", f.Mode)
	case f.Status != 0 && (f.Status < 400 || f.Status > 599):
		return Fault{}, fmt.Errorf("invalid fault status %d: use 400 to 599", f.Status)
	case f.RetryAfterSeconds < 0:
		return Fault{}, fmt.Errorf("invalid fault retryAfterSeconds %d: must not be negative", f.RetryAfterSeconds)
	case f.RetryAfterSeconds > 0 && f.Mode != ModeStatus:
		return Fault{}, fmt.Errorf("invalid fault retryAfterSeconds on mode %q: only status faults send a Retry-After header", f.Mode)
	case f.LatencyMs < 0:
		return Fault{}, fmt.Errorf("invalid fault latencyMs %d: must not be negative", f.LatencyMs)
	case f.Mode == ModeLatency && f.LatencyMs == 0:
		return Fault{}, errors.New("invalid latency fault: latencyMs must be greater than 0")
	case math.IsNaN(f.Rate) || f.Rate <= 0 || f.Rate > 1:
		return Fault{}, fmt.Errorf("invalid fault rate %v: use a number greater than 0 and at most 1", f.Rate)
	case f.Times < 0:
		return Fault{}, fmt.Errorf("invalid fault times %d: must not be negative", f.Times)
	}

	return f, nil
}

func knownSystem(system string) bool {
	return system == SystemAthena || system == SystemUnity || system == SystemREST
}

func knownMode(mode string) bool {
	switch mode {
	case ModeStatus, ModeReset, ModeResetAfterStore, ModeTimeout, ModeLatency:
		return true
	default:
		return false
	}
}

// writeStatus sends the response of a ModeStatus fault.
func (f Fault) writeStatus(w http.ResponseWriter) {
	if f.RetryAfterSeconds > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfterSeconds))
	}
	writeResponse(w, errorResponse(f.Status, "injected fault"))
}
