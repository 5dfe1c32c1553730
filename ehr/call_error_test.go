package ehr

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func TestClassifyStatus(t *testing.T) {
	t.Parallel()

	cases := []struct {
		status int
		want   FailureClass
	}{
		{400, FailurePermanent},
		{401, FailurePermanent},
		{404, FailurePermanent},
		{408, FailureRetryable},
		{409, FailurePermanent},
		{422, FailurePermanent},
		{429, FailureRetryable},
		{500, FailureRetryable},
		{502, FailureRetryable},
		{503, FailureRetryable},
		{504, FailureRetryable},
	}
	for _, tc := range cases {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			t.Parallel()

			got := ClassifyStatus(tc.status)
			if got.Class != tc.want {
				t.Errorf("ClassifyStatus(%d).Class = %q, want %q", tc.status, got.Class, tc.want)
			}
			if got.HTTPStatus != tc.status {
				t.Errorf("ClassifyStatus(%d).HTTPStatus = %d, want %d", tc.status, got.HTTPStatus, tc.status)
			}
			if got.Code != CallCodeHTTPStatus {
				t.Errorf("ClassifyStatus(%d).Code = %q, want %q", tc.status, got.Code, CallCodeHTTPStatus)
			}
			if wantRetryable := tc.want != FailurePermanent; got.Retryable() != wantRetryable {
				t.Errorf("ClassifyStatus(%d).Retryable() = %v, want %v", tc.status, got.Retryable(), wantRetryable)
			}
			if !strings.Contains(got.Reason, strconv.Itoa(tc.status)) {
				t.Errorf("ClassifyStatus(%d).Reason = %q, want it to name the status", tc.status, got.Reason)
			}
		})
	}
}

func TestClassifyTransportError(t *testing.T) {
	t.Parallel()

	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	cases := []struct {
		name      string
		err       error
		sent      bool
		wantClass FailureClass
		wantCode  string
	}{
		{"refused before sending", refused, false, FailureRetryable, CallCodeConnection},
		{"reset after sending", reset, true, FailureUnknown, CallCodeConnection},
		{"reset before sending", reset, false, FailureRetryable, CallCodeConnection},
		{"deadline after sending", fmt.Errorf("waiting: %w", context.DeadlineExceeded), true, FailureUnknown, CallCodeTimeout},
		{"deadline before sending", context.DeadlineExceeded, false, FailureRetryable, CallCodeTimeout},
		{"net timeout after sending", timeoutError{}, true, FailureUnknown, CallCodeTimeout},
		{"canceled after sending", context.Canceled, true, FailureUnknown, CallCodeCanceled},
		{"canceled before sending", context.Canceled, false, FailureRetryable, CallCodeCanceled},
		{"other error after sending", errors.New("unexpected EOF"), true, FailureUnknown, CallCodeConnection},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			got := ClassifyTransportError(tc.err, tc.sent)
			if got.Class != tc.wantClass {
				t.Errorf("%s: Class = %q, want %q", tc.name, got.Class, tc.wantClass)
			}
			if got.Code != tc.wantCode {
				t.Errorf("%s: Code = %q, want %q", tc.name, got.Code, tc.wantCode)
			}
			if got.HTTPStatus != 0 {
				t.Errorf("%s: HTTPStatus = %d, want 0", tc.name, got.HTTPStatus)
			}
			if got.Reason == "" {
				t.Errorf("%s: Reason is empty", tc.name)
			}
		})
	}
}

// timeoutError is a net.Error that reports a timeout without wrapping
// context.DeadlineExceeded, as a dial or read deadline does.
type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func TestAuthFailure(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name       string
		err        error
		wantClass  FailureClass
		wantStatus int
	}{
		{"unknown becomes retryable", &CallError{Class: FailureUnknown, Code: CallCodeTimeout, Reason: "EHR did not answer in time"}, FailureRetryable, 0},
		{"permanent stays permanent", ClassifyStatus(400), FailurePermanent, 400},
		{"retryable stays retryable", ClassifyStatus(503), FailureRetryable, 503},
		{"plain error becomes retryable", errors.New("boom"), FailureRetryable, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			var got *CallError
			if !errors.As(AuthFailure(tc.err), &got) {
				t.Fatalf("%s: AuthFailure did not return a *CallError", tc.name)
			}
			if got.Class != tc.wantClass {
				t.Errorf("%s: Class = %q, want %q", tc.name, got.Class, tc.wantClass)
			}
			if got.Code != CallCodeAuth {
				t.Errorf("%s: Code = %q, want %q", tc.name, got.Code, CallCodeAuth)
			}
			if got.HTTPStatus != tc.wantStatus {
				t.Errorf("%s: HTTPStatus = %d, want %d", tc.name, got.HTTPStatus, tc.wantStatus)
			}
			if !strings.HasPrefix(got.Reason, "authentication failed: ") {
				t.Errorf("%s: Reason = %q, want the authentication prefix", tc.name, got.Reason)
			}
		})
	}
}

func TestAuthFailureLeavesOriginalUnchanged(t *testing.T) {
	t.Parallel()

	original := &CallError{Class: FailureUnknown, Code: CallCodeTimeout, Reason: "EHR did not answer in time"}
	_ = AuthFailure(original)

	want := CallError{Class: FailureUnknown, Code: CallCodeTimeout, Reason: "EHR did not answer in time"}
	if *original != want {
		t.Errorf("AuthFailure changed its argument to %+v, want %+v", *original, want)
	}
}

func TestIsUnauthorized(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"401", ClassifyStatus(401), true},
		{"wrapped 401", fmt.Errorf("calling athena: %w", ClassifyStatus(401)), true},
		{"403", ClassifyStatus(403), false},
		{"transport error", ClassifyTransportError(context.Canceled, false), false},
		{"plain error", errors.New("401"), false},
		{"nil", nil, false},
	}
	for _, tc := range cases {
		if got := IsUnauthorized(tc.err); got != tc.want {
			t.Errorf("IsUnauthorized(%s) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestCallErrorMessage(t *testing.T) {
	t.Parallel()

	withStatus := &CallError{Class: FailurePermanent, HTTPStatus: 422, Code: CallCodeHTTPStatus, Reason: "EHR answered HTTP 422"}
	if got, want := withStatus.Error(), "ehr call failed (permanent, HTTP 422): EHR answered HTTP 422"; got != want {
		t.Errorf("Error() with a status = %q, want %q", got, want)
	}

	withoutStatus := &CallError{Class: FailureUnknown, Code: CallCodeTimeout, Reason: "EHR did not answer in time"}
	if got, want := withoutStatus.Error(), "ehr call failed (unknown): EHR did not answer in time"; got != want {
		t.Errorf("Error() without a status = %q, want %q", got, want)
	}
}

func TestAsCallError(t *testing.T) {
	t.Parallel()

	callErr := ClassifyStatus(409)
	if got := AsCallError(fmt.Errorf("sending: %w", callErr)); got != callErr {
		t.Errorf("AsCallError(wrapped CallError) = %+v, want the wrapped value %+v", got, callErr)
	}

	got := AsCallError(errors.New("encoding failed"))
	if got.Class != FailureRetryable {
		t.Errorf("AsCallError(plain error).Class = %q, want %q", got.Class, FailureRetryable)
	}
	if got.Code != CallCodeConnection {
		t.Errorf("AsCallError(plain error).Code = %q, want %q", got.Code, CallCodeConnection)
	}
	if strings.Contains(got.Reason, "encoding failed") {
		t.Errorf("AsCallError(plain error).Reason = %q, want a generic reason without the wrapped text", got.Reason)
	}
}
