// Package rest is the integration for EHRs that take plain JSON (or form)
// requests over REST. Such an EHR needs configuration only: its base URL,
// auth kind and a mapping whose endpoints give method and path.
package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"ehrbridge/ehr"
)

// FamilyName is the name the generic REST family is registered under.
const FamilyName = "rest"

// defaultPatientIDPath is read from the identity endpoint's answer when its
// mapping names no path: {"id": "..."}.
const defaultPatientIDPath = "id"

func init() {
	ehr.RegisterFamily(ehr.Family{
		Name:            FamilyName,
		New:             New,
		PatientEndpoint: patientEndpoint,
		DefaultMapping:  DefaultMapping(),
		DefaultAuthKind: ehr.AuthNone,
	})
}

var patientEndpoint = ehr.Endpoint{
	Name:              "patient",
	Method:            "POST",
	Path:              "/patients",
	Encoding:          ehr.EncodingJSON,
	IdentifiesPatient: true,
	PatientIDPath:     defaultPatientIDPath,
}

// DefaultMapping returns a starting mapping for a REST EHR: the patient's
// demographics and contact to POST /patients.
func DefaultMapping() ehr.Config {
	endpoint := patientEndpoint
	endpoint.Fields = []ehr.FieldRule{
		{Source: "firstName", Target: "firstName"},
		{Source: "lastName", Target: "lastName"},
		{Source: "age", Target: "age"},
		{Source: "gender", Target: "gender"},
		{Source: "dateOfBirth", Target: "dateOfBirth"},
		{Source: "contact.email", Target: "email"},
		{Source: "contact.phone", Target: "phone"},
	}

	return ehr.Config{Endpoints: []ehr.Endpoint{endpoint}}
}

// Integration sends to one REST EHR.
type Integration struct {
	conn   ehr.Connection
	client *http.Client
}

// New builds the integration for one configured REST system.
func New(conn ehr.Connection, client *http.Client) (ehr.Integration, error) {
	if conn.BaseURL == "" {
		return nil, fmt.Errorf("rest system %q has no base URL", conn.Name)
	}
	switch conn.AuthKind {
	case ehr.AuthNone, ehr.AuthBearer, ehr.AuthBasic, "":
	default:
		return nil, fmt.Errorf("rest system %q: auth kind %q is not supported", conn.Name, conn.AuthKind)
	}

	return &Integration{conn: conn, client: client}, nil
}

// Call sends one endpoint and reads the patient id from the identity
// endpoint's answer and an "id" reference from any answer that has one.
func (in *Integration) Call(ctx context.Context, call ehr.EndpointCall) (ehr.CallResult, error) {
	req, err := in.newRequest(call)
	if err != nil {
		return ehr.CallResult{}, err
	}
	resp, err := ehr.DoHTTP(ctx, in.client, req)
	if err != nil {
		return ehr.CallResult{HTTPStatus: resp.Status}, err
	}

	result := ehr.CallResult{HTTPStatus: resp.Status}
	result.Reference, _ = ehr.ValueAtJSONPath(resp.Body, "id")
	if call.Endpoint.IdentifiesPatient {
		path := call.Endpoint.PatientIDPath
		if path == "" {
			path = defaultPatientIDPath
		}
		result.PatientID, err = ehr.PatientIDFromResponse(resp.Body, path)
	}

	return result, err
}

func (in *Integration) newRequest(call ehr.EndpointCall) (*http.Request, error) {
	body, contentType, err := encodeBody(call)
	if err != nil {
		return nil, fmt.Errorf("encoding %s request: %w", call.Endpoint.Name, err)
	}
	req, err := http.NewRequest(call.Endpoint.Method, in.conn.BaseURL+call.Endpoint.Path, bytes.NewReader(body))
	if err != nil {
		return nil, &ehr.CallError{Class: ehr.FailurePermanent, Code: ehr.CallCodeConfig, Reason: "invalid EHR URL"}
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	req.Header.Set(ehr.IdempotencyHeader, call.IdempotencyKey)

	switch in.conn.AuthKind {
	case ehr.AuthBearer:
		req.Header.Set("Authorization", "Bearer "+in.conn.Secret)
	case ehr.AuthBasic:
		req.SetBasicAuth(in.conn.ClientID, in.conn.Secret)
	}

	return req, nil
}

func encodeBody(call ehr.EndpointCall) ([]byte, string, error) {
	if call.Endpoint.Encoding == ehr.EncodingForm {
		form := url.Values{}
		for _, field := range call.Fields {
			form.Add(field.Target, field.Value)
		}
		return []byte(form.Encode()), "application/x-www-form-urlencoded", nil
	}

	object := make(map[string]string, len(call.Fields))
	for _, field := range call.Fields {
		object[strings.TrimSpace(field.Target)] = field.Value
	}
	body, err := json.Marshal(object)

	return body, "application/json", err
}
