// Package athena is the integration for athenahealth-style EHRs: OAuth2
// client-credentials tokens, form-encoded request bodies, and a patient id
// returned by the patient-create call.
package athena

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"ehrbridge/ehr"
)

// FamilyName is the name the athena family is registered under.
const FamilyName = "athena"

// tokenPath is where the OAuth2 token endpoint sits below the base URL.
const tokenPath = "/oauth2/v1/token"

func init() {
	ehr.RegisterFamily(ehr.Family{
		Name:            FamilyName,
		New:             New,
		PatientEndpoint: patientEndpoint,
		DefaultMapping:  DefaultMapping(),
		DefaultAuthKind: ehr.AuthClientCredentials,
	})
}

// Integration sends to one athena-style EHR.
type Integration struct {
	conn   ehr.Connection
	client *http.Client
	tokens ehr.TokenCache
}

// New builds the integration for one configured athena system.
func New(conn ehr.Connection, client *http.Client) (ehr.Integration, error) {
	if conn.BaseURL == "" {
		return nil, fmt.Errorf("athena system %q has no base URL", conn.Name)
	}
	in := &Integration{conn: conn, client: client}
	in.tokens.Fetch = in.fetchToken

	return in, nil
}

// Call sends one endpoint as a form-encoded request with a bearer token,
// fetching a new token once when the EHR rejects the cached one.
func (in *Integration) Call(ctx context.Context, call ehr.EndpointCall) (ehr.CallResult, error) {
	return ehr.CallWithToken(ctx, call, ehr.TokenCallPaths{PatientID: defaultPatientIDPath, Reference: "referenceid"}, in.send)
}

func (in *Integration) send(ctx context.Context, call ehr.EndpointCall) (ehr.HTTPResponse, error) {
	token, err := in.tokens.Token(ctx)
	if err != nil {
		return ehr.HTTPResponse{}, err
	}
	req, err := http.NewRequest(call.Endpoint.Method, in.conn.BaseURL+call.Endpoint.Path, strings.NewReader(formBody(call.Fields)))
	if err != nil {
		return ehr.HTTPResponse{}, &ehr.CallError{Class: ehr.FailurePermanent, Code: ehr.CallCodeConfig, Reason: "invalid EHR URL"}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set(ehr.IdempotencyHeader, call.IdempotencyKey)

	resp, err := ehr.DoHTTP(ctx, in.client, req)
	if resp.Status == http.StatusUnauthorized {
		in.tokens.Invalidate(token)
	}

	return resp, err
}

func (in *Integration) fetchToken(ctx context.Context) (string, time.Duration, error) {
	form := url.Values{"grant_type": {"client_credentials"}}
	req, err := http.NewRequest(http.MethodPost, in.conn.BaseURL+tokenPath, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, &ehr.CallError{Class: ehr.FailurePermanent, Code: ehr.CallCodeConfig, Reason: "invalid EHR URL"}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(in.conn.ClientID, in.conn.Secret)

	resp, err := ehr.DoHTTP(ctx, in.client, req)
	if err != nil {
		return "", 0, ehr.AuthFailure(err)
	}
	var answer struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if json.Unmarshal(resp.Body, &answer) != nil || answer.AccessToken == "" {
		return "", 0, &ehr.CallError{Class: ehr.FailureRetryable, Code: ehr.CallCodeAuth, Reason: "token response has no access_token"}
	}
	lifetime := time.Duration(answer.ExpiresIn) * time.Second
	if lifetime <= 0 {
		lifetime = 5 * time.Minute
	}

	return answer.AccessToken, lifetime, nil
}

func formBody(fields []ehr.MappedField) string {
	form := url.Values{}
	for _, field := range fields {
		form.Add(field.Target, field.Value)
	}

	return form.Encode()
}
