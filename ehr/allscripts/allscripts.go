// Package allscripts is the integration for Allscripts (Veradigm) Unity-style
// EHRs: a token from GetToken, then one MagicJson call per endpoint, whose
// Action names what is saved.
package allscripts

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"ehrbridge/ehr"
)

// FamilyName is the name the Unity family is registered under.
const FamilyName = "allscripts"

// Options keys a Unity connection reads.
const (
	OptionAppName   = "appname"
	OptionAppUserID = "appUserId"
)

const (
	servicePath = "/Unity/UnityService.svc/json"
	// tokenLifetime is how long ehrbridge reuses a Unity token; Unity does
	// not report the lifetime, and its sandbox tokens last 20 minutes.
	tokenLifetime = 20 * time.Minute
)

func init() {
	ehr.RegisterFamily(ehr.Family{
		Name:            FamilyName,
		New:             New,
		PatientEndpoint: patientEndpoint,
		DefaultMapping:  DefaultMapping(),
		DefaultAuthKind: ehr.AuthUnityToken,
	})
}

// Integration sends to one Unity-style EHR.
type Integration struct {
	conn   ehr.Connection
	client *http.Client
	tokens ehr.TokenCache
}

// New builds the integration for one configured Unity system.
func New(conn ehr.Connection, client *http.Client) (ehr.Integration, error) {
	if conn.BaseURL == "" {
		return nil, fmt.Errorf("unity system %q has no base URL", conn.Name)
	}
	in := &Integration{conn: conn, client: client}
	in.tokens.Fetch = in.fetchToken

	return in, nil
}

// magicJSONRequest is the body of a MagicJson call.
type magicJSONRequest struct {
	Action     string            `json:"Action"`
	AppUserID  string            `json:"AppUserID"`
	Appname    string            `json:"Appname"`
	PatientID  string            `json:"PatientID"`
	Token      string            `json:"Token"`
	Parameter1 string            `json:"Parameter1"`
	Parameter2 string            `json:"Parameter2"`
	Parameter3 string            `json:"Parameter3"`
	Parameter4 string            `json:"Parameter4"`
	Parameter5 string            `json:"Parameter5"`
	Parameter6 string            `json:"Parameter6"`
	Data       map[string]string `json:"Data"`
}

// Call sends one endpoint as a MagicJson action, fetching a new token once
// when Unity rejects the cached one.
func (in *Integration) Call(ctx context.Context, call ehr.EndpointCall) (ehr.CallResult, error) {
	return ehr.CallWithToken(ctx, call, ehr.TokenCallPaths{PatientID: defaultPatientIDPath}, in.send)
}

func (in *Integration) send(ctx context.Context, call ehr.EndpointCall) (ehr.HTTPResponse, error) {
	token, err := in.tokens.Token(ctx)
	if err != nil {
		return ehr.HTTPResponse{}, err
	}
	data := make(map[string]string, len(call.Fields))
	for _, field := range call.Fields {
		data[field.Target] = field.Value
	}
	body, err := json.Marshal(magicJSONRequest{
		Action:    call.Endpoint.Action,
		AppUserID: in.conn.Options[OptionAppUserID],
		Appname:   in.conn.Options[OptionAppName],
		PatientID: call.PatientID,
		Token:     token,
		Data:      data,
	})
	if err != nil {
		return ehr.HTTPResponse{}, fmt.Errorf("encoding MagicJson request: %w", err)
	}

	resp, err := in.post(ctx, "/MagicJson", body, call.IdempotencyKey)
	if resp.Status == http.StatusUnauthorized {
		in.tokens.Invalidate(token)
	}

	return resp, err
}

func (in *Integration) fetchToken(ctx context.Context) (string, time.Duration, error) {
	body, err := json.Marshal(map[string]string{"Username": in.conn.ClientID, "Password": in.conn.Secret})
	if err != nil {
		return "", 0, fmt.Errorf("encoding GetToken request: %w", err)
	}
	resp, err := in.post(ctx, "/GetToken", body, "")
	if err != nil {
		return "", 0, ehr.AuthFailure(err)
	}
	token := strings.Trim(strings.TrimSpace(string(resp.Body)), `"`)
	if token == "" {
		return "", 0, &ehr.CallError{Class: ehr.FailureRetryable, Code: ehr.CallCodeAuth, Reason: "GetToken returned no token"}
	}

	return token, tokenLifetime, nil
}

func (in *Integration) post(ctx context.Context, operation string, body []byte, idempotencyKey string) (ehr.HTTPResponse, error) {
	req, err := http.NewRequest(http.MethodPost, in.conn.BaseURL+servicePath+operation, bytes.NewReader(body))
	if err != nil {
		return ehr.HTTPResponse{}, &ehr.CallError{Class: ehr.FailurePermanent, Code: ehr.CallCodeConfig, Reason: "invalid EHR URL"}
	}
	req.Header.Set("Content-Type", "application/json")
	if idempotencyKey != "" {
		req.Header.Set(ehr.IdempotencyHeader, idempotencyKey)
	}

	return ehr.DoHTTP(ctx, in.client, req)
}
