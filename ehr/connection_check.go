package ehr

import (
	"context"
	"net/http/httptrace"
	"sync/atomic"
)

// ConnectionChecker is implemented by integrations that can check their
// settings without sending patient data: that the EHR responds at the base
// URL and, where the family authenticates, that it accepts the credentials.
// It is optional, so callers test for it with a type assertion.
type ConnectionChecker interface {
	// CheckConnection returns nil when the EHR responded and accepted the
	// credentials, and otherwise a *ConnectionCheckError.
	CheckConnection(ctx context.Context) error
}

// ConnectionCheckError is a failed connection check. Reached reports whether
// the EHR responded with an HTTP status below 500 before the check failed,
// as when it rejects the credentials. Reached is false for network
// failures, timeouts and server errors. Cause is sanitized like every
// CallError.
type ConnectionCheckError struct {
	Reached bool
	Cause   *CallError
}

func (e *ConnectionCheckError) Error() string {
	if e.Reached {
		return "connection check: EHR responded but the check failed: " + e.Cause.Error()
	}

	return "connection check: EHR not reached: " + e.Cause.Error()
}

func (e *ConnectionCheckError) Unwrap() error { return e.Cause }

// RunConnectionCheck runs check, which must make its requests with the
// context it is given, and turns its error into a *ConnectionCheckError
// that records whether any response came back.
func RunConnectionCheck(ctx context.Context, check func(ctx context.Context) error) error {
	var answered atomic.Bool
	traced := httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotFirstResponseByte: func() { answered.Store(true) },
	})

	err := check(traced)
	if err == nil {
		return nil
	}
	cause := AsCallError(err)
	reached := answered.Load() && cause.HTTPStatus < 500

	return &ConnectionCheckError{Reached: reached, Cause: cause}
}
