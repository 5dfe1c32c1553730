package rest_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"ehrbridge/ehr"
	"ehrbridge/ehr/rest"
)

// checkServer responds to every request with status and records the
// Authorization header and method it received.
type checkServer struct {
	*httptest.Server

	mu            sync.Mutex
	authorization string
	method        string
}

func startCheckServer(t *testing.T, status int) *checkServer {
	t.Helper()
	server := &checkServer{}
	server.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		server.mu.Lock()
		server.authorization, server.method = r.Header.Get("Authorization"), r.Method
		server.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(server.Close)

	return server
}

// received returns the method and Authorization header of the last request.
func (s *checkServer) received() (method, authorization string) {
	s.mu.Lock()
	defer s.mu.Unlock()

	return s.method, s.authorization
}

func checkClosedPortURL(t *testing.T) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("reserving a port: %v", err)
	}
	url := "http://" + listener.Addr().String()
	_ = listener.Close()

	return url
}

func TestCheckConnection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		closed      bool
		authKind    string
		wantErr     bool
		wantReached bool
		wantCode    string
	}{
		{name: "ok answer", status: http.StatusOK, authKind: ehr.AuthNone},
		{name: "not found still reachable", status: http.StatusNotFound, authKind: ehr.AuthBearer},
		{name: "401 without authentication", status: http.StatusUnauthorized, authKind: ehr.AuthNone},
		{name: "401 refuses bearer token", status: http.StatusUnauthorized, authKind: ehr.AuthBearer, wantErr: true, wantReached: true, wantCode: ehr.CallCodeAuth},
		{name: "403 refuses basic credentials", status: http.StatusForbidden, authKind: ehr.AuthBasic, wantErr: true, wantReached: true, wantCode: ehr.CallCodeAuth},
		{name: "server error", status: http.StatusBadGateway, authKind: ehr.AuthNone, wantErr: true, wantReached: false, wantCode: ehr.CallCodeHTTPStatus},
		{name: "closed port", closed: true, authKind: ehr.AuthNone, wantErr: true, wantReached: false, wantCode: ehr.CallCodeConnection},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var server *checkServer
			baseURL := checkClosedPortURL(t)
			if !tt.closed {
				server = startCheckServer(t, tt.status)
				baseURL = server.URL
			}
			integration, err := rest.New(ehr.Connection{
				Name: "rest-check", Family: rest.FamilyName, BaseURL: baseURL, AuthKind: tt.authKind,
				ClientID: "ehrbridge", Secret: "synthetic-secret",
			}, http.DefaultClient)
			if err != nil {
				t.Fatalf("rest.New: %v", err)
			}

			err = integration.(ehr.ConnectionChecker).CheckConnection(context.Background())
			if server != nil {
				method, authorization := server.received()
				if method != http.MethodGet {
					t.Errorf("%s: method %q, want GET", tt.name, method)
				}
				if tt.authKind != ehr.AuthNone && authorization == "" {
					t.Errorf("%s: no Authorization header sent", tt.name)
				}
			}
			if !tt.wantErr {
				if err != nil {
					t.Errorf("%s: error %v, want none", tt.name, err)
				}
				return
			}
			var checkErr *ehr.ConnectionCheckError
			if !errors.As(err, &checkErr) {
				t.Fatalf("%s: error %v is not a *ConnectionCheckError", tt.name, err)
			}
			if checkErr.Reached != tt.wantReached || checkErr.Cause.Code != tt.wantCode {
				t.Errorf("%s: Reached %v code %q, want %v %q", tt.name, checkErr.Reached, checkErr.Cause.Code, tt.wantReached, tt.wantCode)
			}
		})
	}
}
