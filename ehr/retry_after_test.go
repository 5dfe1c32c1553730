package ehr

import (
	"context"
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()

	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		value string
		want  time.Duration
	}{
		{"empty", "", 0},
		{"seconds", "120", 120 * time.Second},
		{"zero seconds", "0", 0},
		{"seconds with spaces", " 7 ", 7 * time.Second},
		{"negative seconds", "-5", 0},
		{"fractional seconds", "1.5", 0},
		{"seconds over the bound", "999999999999", maxRetryAfter},
		{"seconds overflowing uint64", "99999999999999999999999", maxRetryAfter},
		{"IMF-fixdate ahead", "Mon, 02 Mar 2026 10:00:30 GMT", 30 * time.Second},
		{"RFC 850 date ahead", "Monday, 02-Mar-26 10:01:00 GMT", time.Minute},
		{"asctime date ahead", "Mon Mar  2 10:00:05 2026", 5 * time.Second},
		{"date passed", "Mon, 02 Mar 2026 09:59:00 GMT", 0},
		{"date beyond the bound", "Mon, 01 Mar 2027 10:00:00 GMT", maxRetryAfter},
		{"not a number or date", "soon", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			if got := ParseRetryAfter(tc.value, now); got != tc.want {
				t.Errorf("ParseRetryAfter(%q) = %v, want %v", tc.value, got, tc.want)
			}
		})
	}
}

func TestDoHTTPReadsRetryAfter(t *testing.T) {
	t.Parallel()

	future := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	cases := []struct {
		name        string
		status      int
		retryAfter  string
		wantAtLeast time.Duration
		wantAtMost  time.Duration
	}{
		{"429 with seconds", http.StatusTooManyRequests, "3", 3 * time.Second, 3 * time.Second},
		{"503 with a date", http.StatusServiceUnavailable, future, 59 * time.Minute, time.Hour},
		{"429 without the header", http.StatusTooManyRequests, "", 0, 0},
		{"500 with seconds", http.StatusInternalServerError, "3", 0, 0},
		{"502 with seconds", http.StatusBadGateway, "3", 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			server := startHTTPCallServer(t, func(w http.ResponseWriter, r *http.Request) {
				if tc.retryAfter != "" {
					w.Header().Set(RetryAfterHeader, tc.retryAfter)
				}
				w.WriteHeader(tc.status)
			})

			_, err := DoHTTP(context.Background(), server.Client(), newHTTPCallRequest(t, server.URL))
			callErr := requireCallError(t, err)
			if callErr.RetryAfter < tc.wantAtLeast || callErr.RetryAfter > tc.wantAtMost {
				t.Errorf("RetryAfter = %v, want between %v and %v", callErr.RetryAfter, tc.wantAtLeast, tc.wantAtMost)
			}
			if callErr.HTTPStatus != tc.status {
				t.Errorf("HTTPStatus = %d, want %d", callErr.HTTPStatus, tc.status)
			}
		})
	}
}

func TestAuthFailureKeepsRetryAfter(t *testing.T) {
	t.Parallel()

	limited := ClassifyStatus(http.StatusTooManyRequests)
	limited.RetryAfter = 4 * time.Second

	got := requireCallError(t, AuthFailure(limited))
	if got.RetryAfter != 4*time.Second {
		t.Errorf("RetryAfter = %v, want 4s", got.RetryAfter)
	}
}
