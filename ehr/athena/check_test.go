package athena_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"ehrbridge/ehr"
	"ehrbridge/ehr/athena"
	"ehrbridge/ehr/sim"
)

// checkIntegration builds an athena integration on the simulator's athena
// API with the given client id.
func checkIntegration(t *testing.T, baseURL, clientID string) ehr.ConnectionChecker {
	t.Helper()
	integration, err := athena.New(ehr.Connection{
		Name: "athena-check", Family: athena.FamilyName, BaseURL: baseURL, PracticeID: testPractice,
		AuthKind: ehr.AuthClientCredentials, ClientID: clientID, Secret: testSecret,
	}, http.DefaultClient)
	if err != nil {
		t.Fatalf("athena.New: %v", err)
	}
	checker, ok := integration.(ehr.ConnectionChecker)
	if !ok {
		t.Fatalf("athena integration does not implement ehr.ConnectionChecker")
	}

	return checker
}

func TestCheckConnection(t *testing.T) {
	t.Parallel()
	simulator := sim.New(sim.Options{})
	server := httptest.NewServer(simulator.Handler())
	t.Cleanup(server.Close)

	tests := []struct {
		name        string
		baseURL     string
		clientID    string
		wantErr     bool
		wantReached bool
	}{
		{name: "valid credentials", baseURL: server.URL + "/athena", clientID: testClientID},
		{name: "client id refused", baseURL: server.URL + "/athena", clientID: "", wantErr: true, wantReached: true},
		{name: "wrong base URL", baseURL: server.URL + "/nowhere", clientID: testClientID, wantErr: true, wantReached: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkIntegration(t, tt.baseURL, tt.clientID).CheckConnection(context.Background())
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
