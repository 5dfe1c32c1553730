package ehr

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"time"
)

// maxResponseBytes bounds how much of an EHR response is read. Responses
// are only inspected for a patient id or reference, never stored.
const maxResponseBytes = 1 << 20

// IdempotencyHeader carries the per-endpoint idempotency key on every call.
const IdempotencyHeader = "Idempotency-Key"

// HTTPResponse is the part of an EHR answer integrations look at.
type HTTPResponse struct {
	Status int
	Body   []byte
}

// DoHTTP sends req with client and classifies failures: a transport error
// becomes a retryable or unknown *CallError depending on whether the request
// was fully written, and a non-2xx status becomes the class ClassifyStatus
// gives it, with the Retry-After of a 429 or 503 response. The body of a
// failed response is discarded, because EHRs may echo patient data in
// error messages.
func DoHTTP(ctx context.Context, client *http.Client, req *http.Request) (HTTPResponse, error) {
	var sent bool
	trace := &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) { sent = info.Err == nil },
	}
	req = req.WithContext(httptrace.WithClientTrace(ctx, trace))
	// Without GetBody, http.Transport does not resend a request with an
	// Idempotency-Key by itself after a broken connection, so every call
	// that reaches the wire is one the ledger counts.
	req.GetBody = nil

	resp, err := client.Do(req)
	if err != nil {
		return HTTPResponse{}, ClassifyTransportError(err, sent)
	}
	defer resp.Body.Close()

	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return HTTPResponse{Status: resp.StatusCode}, ClassifyTransportError(err, true)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		callErr := ClassifyStatus(resp.StatusCode)
		callErr.RetryAfter = retryAfterOf(resp, time.Now())
		return HTTPResponse{Status: resp.StatusCode}, callErr
	}

	return HTTPResponse{Status: resp.StatusCode, Body: body}, nil
}

// ErrJSONPathNotFound reports that a JSON response has no value at a path.
var ErrJSONPathNotFound = errors.New("no value at the JSON path")

// ValueAtJSONPath reads a scalar at a dotted path of object keys and list
// indexes ("0.savepatientinfo.0.PatientID") from a JSON document and returns
// it as a string.
func ValueAtJSONPath(body []byte, path string) (string, error) {
	// UseNumber keeps integer ids above 2^53 exact; float64 would round them
	// and send later calls to another patient.
	decoder := json.NewDecoder(bytes.NewReader(body))
	decoder.UseNumber()
	var node any
	if err := decoder.Decode(&node); err != nil {
		return "", err
	}
	if _, err := decoder.Token(); !errors.Is(err, io.EOF) {
		return "", errors.New("invalid JSON: data after the top-level value")
	}
	for _, segment := range strings.Split(path, ".") {
		next, ok := childOf(node, segment)
		if !ok {
			return "", ErrJSONPathNotFound
		}
		node = next
	}

	switch v := node.(type) {
	case string:
		if v == "" {
			return "", ErrJSONPathNotFound
		}
		return v, nil
	case json.Number:
		return numberText(v), nil
	default:
		return "", ErrJSONPathNotFound
	}
}

func childOf(node any, segment string) (any, bool) {
	switch v := node.(type) {
	case map[string]any:
		child, ok := v[segment]
		return child, ok
	case []any:
		index, err := strconv.Atoi(segment)
		if err != nil || index < 0 || index >= len(v) {
			return nil, false
		}
		return v[index], true
	default:
		return nil, false
	}
}

// PatientIDFromResponse reads the patient id at path from an identity
// endpoint's response, or returns a permanent *CallError: an EHR that
// accepted the patient but hides the id cannot be continued safely.
func PatientIDFromResponse(body []byte, path string) (string, error) {
	id, err := ValueAtJSONPath(body, path)
	if err != nil {
		return "", &CallError{
			Class:  FailureUnknown,
			Code:   CallCodeNoPatientID,
			Reason: "EHR response has no patient id at " + path,
		}
	}

	return id, nil
}

// numberText writes an integer as it was sent and any other number in
// plain decimal, so 1e3 reads as "1000".
func numberText(n json.Number) string {
	if !strings.ContainsAny(n.String(), ".eE") {
		return n.String()
	}
	f, err := n.Float64()
	if err != nil {
		return n.String()
	}

	return strconv.FormatFloat(f, 'f', -1, 64)
}
