package ehr_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"ehrbridge/ehr"
)

// closedPortURL returns the URL of a local port that nothing listens on.
func closedPortURL(t *testing.T) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("reserving a port: %v", err)
	}
	url := "http://" + listener.Addr().String()
	_ = listener.Close()

	return url
}

// getCheck is a connection check that sends one GET to url and fails the
// way an integration's token request does.
func getCheck(url string) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := ehr.DoHTTP(ctx, http.DefaultClient, req)
		if err == nil && len(resp.Body) == 0 {
			return &ehr.CallError{Class: ehr.FailureRetryable, Code: ehr.CallCodeAuth, Reason: "no token"}
		}

		return err
	}
}

func TestRunConnectionCheck(t *testing.T) {
	t.Parallel()
	answering := func(status int, body string) string {
		server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}))
		t.Cleanup(server.Close)
		return server.URL
	}

	tests := []struct {
		name        string
		url         string
		wantErr     bool
		wantReached bool
		wantCode    string
	}{
		{name: "answer with a token", url: answering(http.StatusOK, "token"), wantErr: false},
		{name: "credentials refused", url: answering(http.StatusUnauthorized, ""), wantErr: true, wantReached: true, wantCode: ehr.CallCodeHTTPStatus},
		{name: "answer without a token", url: answering(http.StatusOK, ""), wantErr: true, wantReached: true, wantCode: ehr.CallCodeAuth},
		{name: "server error", url: answering(http.StatusServiceUnavailable, ""), wantErr: true, wantReached: false, wantCode: ehr.CallCodeHTTPStatus},
		{name: "closed port", url: closedPortURL(t), wantErr: true, wantReached: false, wantCode: ehr.CallCodeConnection},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := ehr.RunConnectionCheck(context.Background(), getCheck(tt.url))
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("%s: error %v, want none", tt.name, err)
				}
				return
			}
			var checkErr *ehr.ConnectionCheckError
			if !errors.As(err, &checkErr) {
				t.Fatalf("%s: error %v is not a *ConnectionCheckError", tt.name, err)
			}
			if checkErr.Reached != tt.wantReached {
				t.Errorf("%s: Reached = %v, want %v", tt.name, checkErr.Reached, tt.wantReached)
			}
			if checkErr.Cause.Code != tt.wantCode {
				t.Errorf("%s: cause code %q, want %q", tt.name, checkErr.Cause.Code, tt.wantCode)
			}
		})
	}
}

func TestConnectionCheckErrorUnwrapsCause(t *testing.T) {
	t.Parallel()
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(server.Close)

	err := ehr.RunConnectionCheck(context.Background(), getCheck(server.URL))
	var checkErr *ehr.ConnectionCheckError
	if !errors.As(err, &checkErr) || !checkErr.Reached {
		t.Fatalf("error %v, want a reached *ConnectionCheckError", err)
	}
	var callErr *ehr.CallError
	if !errors.As(err, &callErr) || callErr.HTTPStatus != http.StatusUnauthorized {
		t.Errorf("unwrapped cause %v, want the HTTP 401 CallError", callErr)
	}
}
