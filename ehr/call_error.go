package ehr

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"syscall"
	"time"
)

// FailureClass is what a failed call means for retries.
type FailureClass string

const (
	// FailureRetryable failed before the EHR acted, or the EHR asked to be
	// tried again (network errors before sending, 408, 429, 5xx).
	FailureRetryable FailureClass = "retryable"
	// FailurePermanent will fail again with the same data (other 4xx).
	FailurePermanent FailureClass = "permanent"
	// FailureUnknown may have reached the EHR: the request left but no
	// response came back (timeout or reset after sending). A retry is safe only
	// because every call carries its idempotency key.
	FailureUnknown FailureClass = "unknown"
)

// CallError is a failed EHR call. Reason is a short sanitized text safe for
// logs and the transaction log: it never holds a response body.
type CallError struct {
	Class      FailureClass
	HTTPStatus int
	Code       string
	Reason     string
	// RetryAfter is how long the EHR requested to wait before the next
	// call, read from the Retry-After header of a 429 or 503 response. Zero
	// means the EHR sent none.
	RetryAfter time.Duration
}

func (e *CallError) Error() string {
	if e.HTTPStatus != 0 {
		return fmt.Sprintf("ehr call failed (%s, HTTP %d): %s", e.Class, e.HTTPStatus, e.Reason)
	}

	return fmt.Sprintf("ehr call failed (%s): %s", e.Class, e.Reason)
}

// Retryable reports whether sending again may succeed.
func (e *CallError) Retryable() bool {
	return e.Class != FailurePermanent
}

// Stable codes for CallError.Code.
const (
	CallCodeHTTPStatus   = "ehr_http_status"
	CallCodeTimeout      = "ehr_timeout"
	CallCodeConnection   = "ehr_connection"
	CallCodeAuth         = "ehr_auth"
	CallCodeBadResponse  = "ehr_bad_response"
	CallCodeNoPatientID  = "ehr_no_patient_id"
	CallCodeConfig       = "ehr_config"
	CallCodeCanceled     = "ehr_canceled"
	CallCodeNotAttempted = "not_attempted"
)

// CallErrorCodes lists every CallError code, for the locale files.
func CallErrorCodes() []string {
	return []string{
		CallCodeHTTPStatus, CallCodeTimeout, CallCodeConnection, CallCodeAuth, CallCodeBadResponse,
		CallCodeNoPatientID, CallCodeConfig, CallCodeCanceled, CallCodeNotAttempted,
	}
}

// ClassifyStatus turns a non-2xx HTTP status into a CallError.
func ClassifyStatus(status int) *CallError {
	class := FailurePermanent
	if status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500 {
		class = FailureRetryable
	}

	return &CallError{
		Class:      class,
		HTTPStatus: status,
		Code:       CallCodeHTTPStatus,
		Reason:     fmt.Sprintf("EHR answered HTTP %d %s", status, http.StatusText(status)),
	}
}

// ClassifyTransportError turns an error from http.Client.Do into a
// CallError. requestSent reports whether the whole request was written before
// the failure, which makes the outcome unknown rather than failed.
func ClassifyTransportError(err error, requestSent bool) *CallError {
	class := FailureRetryable
	if requestSent {
		class = FailureUnknown
	}
	code, reason := CallCodeConnection, "connection to the EHR failed"

	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled):
		code, reason = CallCodeCanceled, "call canceled before the EHR answered"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		code, reason = CallCodeTimeout, "EHR did not answer in time"
	case errors.Is(err, syscall.ECONNREFUSED):
		reason = "EHR refused the connection"
	case errors.Is(err, syscall.ECONNRESET):
		reason = "EHR reset the connection"
	}

	return &CallError{Class: class, Code: code, Reason: reason}
}

// AuthFailure marks a failed token request. A token request carries no
// patient data, so its outcome is never unknown: it is retryable or
// permanent like the status or transport error behind it.
func AuthFailure(err error) error {
	out := *AsCallError(err)
	out.Code = CallCodeAuth
	out.Reason = "authentication failed: " + out.Reason
	if out.Class == FailureUnknown {
		out.Class = FailureRetryable
	}

	return &out
}

// IsUnauthorized reports whether err is a data call rejected with HTTP
// 401, after which an integration fetches a new token and tries once more.
// A 401 from the token request itself is not: the credentials are wrong,
// and asking again could lock the account at the EHR.
func IsUnauthorized(err error) bool {
	var callErr *CallError

	return errors.As(err, &callErr) && callErr.HTTPStatus == http.StatusUnauthorized && callErr.Code != CallCodeAuth
}
