package allscripts_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"ehrbridge/ehr"
	"ehrbridge/ehr/allscripts"
	"ehrbridge/ehr/sim"
)

// checkIntegration builds a Unity integration with the given base URL and
// user name.
func checkIntegration(t *testing.T, baseURL, username string) ehr.ConnectionChecker {
	t.Helper()
	integration, err := allscripts.New(ehr.Connection{
		Name: "unity-check", Family: allscripts.FamilyName, BaseURL: baseURL,
		AuthKind: ehr.AuthUnityToken, ClientID: username, Secret: testPassword,
		Options: map[string]string{allscripts.OptionAppName: testAppName, allscripts.OptionAppUserID: testAppUserID},
	}, http.DefaultClient)
	if err != nil {
		t.Fatalf("allscripts.New: %v", err)
	}
	checker, ok := integration.(ehr.ConnectionChecker)
	if !ok {
		t.Fatalf("Unity integration does not implement ehr.ConnectionChecker")
	}

	return checker
}

// checkClosedPortURL returns the URL of a local port nothing listens on.
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
	simulator := sim.New(sim.Options{})
	server := httptest.NewServer(simulator.Handler())
	t.Cleanup(server.Close)

	tests := []struct {
		name        string
		baseURL     string
		username    string
		wantErr     bool
		wantReached bool
	}{
		{name: "valid credentials", baseURL: server.URL + "/unity", username: testUsername},
		{name: "user name refused", baseURL: server.URL + "/unity", username: "", wantErr: true, wantReached: true},
		{name: "closed port", baseURL: checkClosedPortURL(t), username: testUsername, wantErr: true, wantReached: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkIntegration(t, tt.baseURL, tt.username).CheckConnection(context.Background())
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
			if checkErr.Cause.Code != ehr.CallCodeAuth {
				t.Errorf("%s: cause code %q, want %q", tt.name, checkErr.Cause.Code, ehr.CallCodeAuth)
			}
		})
	}
	if stats := simulator.Stats(); stats.Patients != 0 {
		t.Errorf("the check created %d patients, want none", stats.Patients)
	}
}
