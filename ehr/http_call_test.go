package ehr

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// httpCallTestBody stands for an EHR error body that echoes patient data.
const httpCallTestBody = `{"error":"duplicate patient Elena Vasquez-Moore born 1973-04-12"}`

// startHTTPCallServer serves handler on a local httptest server that is
// closed when the test ends.
func startHTTPCallServer(t *testing.T, handler http.HandlerFunc) *httptest.Server {
	t.Helper()

	server := httptest.NewServer(handler)
	t.Cleanup(server.Close)

	return server
}

// newHTTPCallRequest builds a small POST request, so every case writes a
// body before waiting for the response.
func newHTTPCallRequest(t *testing.T, url string) *http.Request {
	t.Helper()

	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader("PATIENT_FIRST_NAME=Elena"))
	if err != nil {
		t.Fatalf("building request for %s: %v", url, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")

	return req
}

// requireCallError returns err as a *CallError or stops the test.
func requireCallError(t *testing.T, err error) *CallError {
	t.Helper()

	var callErr *CallError
	if !errors.As(err, &callErr) {
		t.Fatalf("error = %v (%T), want a *CallError", err, err)
	}

	return callErr
}

// closedPortURL returns a URL on 127.0.0.1 whose port had a listener a
// moment ago and has none now, so connecting to it is refused.
func closedPortURL(t *testing.T) string {
	t.Helper()

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listening on a free port: %v", err)
	}
	addr := listener.Addr().String()
	if err := listener.Close(); err != nil {
		t.Fatalf("closing the listener on %s: %v", addr, err)
	}

	return "http://" + addr
}

// hijackConnection takes the raw connection of an HTTP/1 request.
func hijackConnection(t *testing.T, w http.ResponseWriter) net.Conn {
	t.Helper()

	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijacking the connection: %v", err)
		return nil
	}

	return conn
}

func TestDoHTTPReturnsSuccessBody(t *testing.T) {
	t.Parallel()

	server := startHTTPCallServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `[{"patientid":"1001"}]`)
	})

	resp, err := DoHTTP(context.Background(), server.Client(), newHTTPCallRequest(t, server.URL))
	if err != nil {
		t.Fatalf("DoHTTP error: %v", err)
	}
	if resp.Status != http.StatusCreated {
		t.Errorf("Status = %d, want %d", resp.Status, http.StatusCreated)
	}
	if got := string(resp.Body); got != `[{"patientid":"1001"}]` {
		t.Errorf("Body = %q, want the response body", got)
	}
}

func TestDoHTTPDiscardsFailureBody(t *testing.T) {
	t.Parallel()

	cases := []struct {
		status    int
		wantClass FailureClass
	}{
		{http.StatusBadRequest, FailurePermanent},
		{http.StatusNotFound, FailurePermanent},
		{http.StatusUnprocessableEntity, FailurePermanent},
		{http.StatusTooManyRequests, FailureRetryable},
		{http.StatusInternalServerError, FailureRetryable},
		{http.StatusServiceUnavailable, FailureRetryable},
	}
	for _, tc := range cases {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			t.Parallel()

			server := startHTTPCallServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, httpCallTestBody)
			})

			resp, err := DoHTTP(context.Background(), server.Client(), newHTTPCallRequest(t, server.URL))
			callErr := requireCallError(t, err)
			if callErr.Class != tc.wantClass {
				t.Errorf("HTTP %d: Class = %q, want %q", tc.status, callErr.Class, tc.wantClass)
			}
			if callErr.HTTPStatus != tc.status {
				t.Errorf("HTTP %d: error HTTPStatus = %d", tc.status, callErr.HTTPStatus)
			}
			if resp.Status != tc.status {
				t.Errorf("HTTP %d: response Status = %d", tc.status, resp.Status)
			}
			if resp.Body != nil {
				t.Errorf("HTTP %d: response Body = %q, want nil", tc.status, resp.Body)
			}
			if strings.Contains(callErr.Error(), "Vasquez") {
				t.Errorf("HTTP %d: error %q contains the response body", tc.status, callErr.Error())
			}
		})
	}
}

func TestDoHTTPConnectionRefused(t *testing.T) {
	t.Parallel()

	url := closedPortURL(t)
	resp, err := DoHTTP(context.Background(), &http.Client{Timeout: 5 * time.Second}, newHTTPCallRequest(t, url))

	callErr := requireCallError(t, err)
	if callErr.Class != FailureRetryable {
		t.Errorf("Class = %q, want %q", callErr.Class, FailureRetryable)
	}
	if callErr.Code != CallCodeConnection {
		t.Errorf("Code = %q, want %q", callErr.Code, CallCodeConnection)
	}
	if callErr.HTTPStatus != 0 {
		t.Errorf("HTTPStatus = %d, want 0", callErr.HTTPStatus)
	}
	if resp.Status != 0 {
		t.Errorf("response Status = %d, want 0", resp.Status)
	}
}

func TestDoHTTPTimeoutAfterSending(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name          string
		clientTimeout time.Duration
		ctxTimeout    time.Duration
	}{
		{name: "client timeout", clientTimeout: 150 * time.Millisecond},
		{name: "context deadline", ctxTimeout: 150 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			var received atomic.Int32
			server := startHTTPCallServer(t, func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.ReadAll(r.Body)
				received.Add(1)
				<-r.Context().Done() // hold the response until the client goes away
			})

			ctx := context.Background()
			if tc.ctxTimeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.ctxTimeout)
				defer cancel()
			}
			client := server.Client()
			client.Timeout = tc.clientTimeout

			_, err := DoHTTP(ctx, client, newHTTPCallRequest(t, server.URL))
			callErr := requireCallError(t, err)
			if callErr.Class != FailureUnknown {
				t.Errorf("%s: Class = %q, want %q", tc.name, callErr.Class, FailureUnknown)
			}
			if callErr.Code != CallCodeTimeout {
				t.Errorf("%s: Code = %q, want %q", tc.name, callErr.Code, CallCodeTimeout)
			}
			if got := received.Load(); got != 1 {
				t.Errorf("%s: server received %d requests, want 1", tc.name, got)
			}
		})
	}
}

func TestDoHTTPConnectionClosedAfterRequest(t *testing.T) {
	t.Parallel()

	var received atomic.Int32
	server := startHTTPCallServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		received.Add(1)
		if conn := hijackConnection(t, w); conn != nil {
			_ = conn.Close()
		}
	})

	resp, err := DoHTTP(context.Background(), server.Client(), newHTTPCallRequest(t, server.URL))
	callErr := requireCallError(t, err)
	if callErr.Class != FailureUnknown {
		t.Errorf("Class = %q, want %q", callErr.Class, FailureUnknown)
	}
	if callErr.Code != CallCodeConnection {
		t.Errorf("Code = %q, want %q", callErr.Code, CallCodeConnection)
	}
	if resp.Status != 0 {
		t.Errorf("response Status = %d, want 0", resp.Status)
	}
	if got := received.Load(); got != 1 {
		t.Errorf("server received %d requests, want 1", got)
	}
}

func TestDoHTTPBodyCutShort(t *testing.T) {
	t.Parallel()

	server := startHTTPCallServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		conn := hijackConnection(t, w)
		if conn == nil {
			return
		}
		defer conn.Close()
		_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"id\":")
	})

	resp, err := DoHTTP(context.Background(), server.Client(), newHTTPCallRequest(t, server.URL))
	callErr := requireCallError(t, err)
	if callErr.Class != FailureUnknown {
		t.Errorf("Class = %q, want %q", callErr.Class, FailureUnknown)
	}
	if resp.Status != http.StatusOK {
		t.Errorf("response Status = %d, want %d", resp.Status, http.StatusOK)
	}
	if resp.Body != nil {
		t.Errorf("response Body = %q, want nil", resp.Body)
	}
}

func TestDoHTTPDoesNotFollowRedirect(t *testing.T) {
	t.Parallel()

	var targetHits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/start", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/target", http.StatusFound)
	})
	mux.HandleFunc("/target", func(w http.ResponseWriter, r *http.Request) {
		targetHits.Add(1)
		_, _ = io.WriteString(w, `{"id":"redirected"}`)
	})
	server := startHTTPCallServer(t, mux.ServeHTTP)

	client := server.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	resp, err := DoHTTP(context.Background(), client, newHTTPCallRequest(t, server.URL+"/start"))
	callErr := requireCallError(t, err)
	if callErr.Class != FailurePermanent {
		t.Errorf("Class = %q, want %q", callErr.Class, FailurePermanent)
	}
	if callErr.HTTPStatus != http.StatusFound {
		t.Errorf("HTTPStatus = %d, want %d", callErr.HTTPStatus, http.StatusFound)
	}
	if resp.Body != nil {
		t.Errorf("response Body = %q, want nil", resp.Body)
	}
	if got := targetHits.Load(); got != 0 {
		t.Errorf("redirect target received %d requests, want 0", got)
	}
}

func TestDoHTTPLimitsBodySize(t *testing.T) {
	t.Parallel()

	server := startHTTPCallServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(make([]byte, 2*maxResponseBytes))
	})

	resp, err := DoHTTP(context.Background(), server.Client(), newHTTPCallRequest(t, server.URL))
	if err != nil {
		t.Fatalf("DoHTTP error: %v", err)
	}
	if len(resp.Body) != maxResponseBytes {
		t.Errorf("len(Body) = %d, want %d", len(resp.Body), maxResponseBytes)
	}
}

func TestValueAtJSONPath(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name string
		body string
		path string
		want string
	}{
		{"top-level key", `{"id":"r-9"}`, "id", "r-9"},
		{"nested keys", `{"data":{"patient":{"id":"E-77"}}}`, "data.patient.id", "E-77"},
		{"list index", `[{"patientid":"123"}]`, "0.patientid", "123"},
		{"second list item", `[{"patientid":"1"},{"patientid":"2"}]`, "1.patientid", "2"},
		{"unity shape", `[{"savepatientinfo":[{"PatientID":"77"}]}]`, "0.savepatientinfo.0.PatientID", "77"},
		{"integer", `{"id":4021}`, "id", "4021"},
		{"negative integer", `{"id":-3}`, "id", "-3"},
		{"decimal", `{"id":12.5}`, "id", "12.5"},
		{"exponent", `{"id":1e3}`, "id", "1000"},
		{"key with a space", `{"patient id":"P 1"}`, "patient id", "P 1"},
		{"numeric segment on an object", `{"0":{"id":"x"}}`, "0.id", "x"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			got, err := ValueAtJSONPath([]byte(tc.body), tc.path)
			if err != nil {
				t.Fatalf("ValueAtJSONPath(%s, %q) error: %v", tc.body, tc.path, err)
			}
			if got != tc.want {
				t.Errorf("ValueAtJSONPath(%s, %q) = %q, want %q", tc.body, tc.path, got, tc.want)
			}
		})
	}
}

func TestValueAtJSONPathNotFound(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name string
		body string
		path string
	}{
		{"missing key", `{"id":"r-9"}`, "patientid"},
		{"missing nested key", `{"data":{}}`, "data.patient.id"},
		{"index out of range", `[{"patientid":"123"}]`, "1.patientid"},
		{"negative index", `[{"patientid":"123"}]`, "-1.patientid"},
		{"key into a list", `[{"patientid":"123"}]`, "patientid"},
		{"path through a string", `{"id":"r-9"}`, "id.value"},
		{"empty string", `{"id":""}`, "id"},
		{"null", `{"id":null}`, "id"},
		{"boolean", `{"id":true}`, "id"},
		{"object at the end", `{"id":{"value":"x"}}`, "id"},
		{"list at the end", `{"id":["x"]}`, "id"},
		{"empty path", `{"id":"r-9"}`, ""},
		{"empty body object", `{}`, "id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()

			got, err := ValueAtJSONPath([]byte(tc.body), tc.path)
			if !errors.Is(err, ErrJSONPathNotFound) {
				t.Errorf("ValueAtJSONPath(%s, %q) = %q, %v; want ErrJSONPathNotFound", tc.body, tc.path, got, err)
			}
			if got != "" {
				t.Errorf("ValueAtJSONPath(%s, %q) value = %q, want empty", tc.body, tc.path, got)
			}
		})
	}
}

func TestValueAtJSONPathInvalidJSON(t *testing.T) {
	t.Parallel()

	for _, body := range []string{``, `{"id":`, `<html>Bad Gateway</html>`, `"id"x`} {
		got, err := ValueAtJSONPath([]byte(body), "id")
		if err == nil {
			t.Errorf("ValueAtJSONPath(%q) = %q, want an error", body, got)
			continue
		}
		if errors.Is(err, ErrJSONPathNotFound) {
			t.Errorf("ValueAtJSONPath(%q) error = %v, want a JSON syntax error, not ErrJSONPathNotFound", body, err)
		}
	}
}

// Integers above 2^53 cannot be held exactly by a float64. An EHR that
// returns such an id as a JSON number must still get every digit back, or a
// dependent call writes to another patient.
func TestValueAtJSONPathLargeIntegerKeepsDigits(t *testing.T) {
	t.Parallel()

	cases := []struct {
		body string
		want string
	}{
		{`{"id":9007199254740993}`, "9007199254740993"},
		{`[{"patientid":12345678901234567891}]`, "12345678901234567891"},
	}
	for _, tc := range cases {
		path := "id"
		if strings.HasPrefix(tc.body, "[") {
			path = "0.patientid"
		}
		got, err := ValueAtJSONPath([]byte(tc.body), path)
		if err != nil {
			t.Errorf("ValueAtJSONPath(%s) error: %v", tc.body, err)
			continue
		}
		if got != tc.want {
			t.Errorf("ValueAtJSONPath(%s) = %q, want %q", tc.body, got, tc.want)
		}
	}
}

func TestPatientIDFromResponse(t *testing.T) {
	t.Parallel()

	got, err := PatientIDFromResponse([]byte(`[{"patientid":"123"}]`), "0.patientid")
	if err != nil {
		t.Fatalf("PatientIDFromResponse error: %v", err)
	}
	if got != "123" {
		t.Errorf("PatientIDFromResponse = %q, want %q", got, "123")
	}
}

func TestPatientIDFromResponseMissing(t *testing.T) {
	t.Parallel()

	bodies := []string{`[{"firstname":"Elena"}]`, `[]`, `not json`, `[{"patientid":""}]`}
	for _, body := range bodies {
		got, err := PatientIDFromResponse([]byte(body), "0.patientid")
		if got != "" {
			t.Errorf("PatientIDFromResponse(%s) = %q, want empty", body, got)
		}
		callErr := requireCallError(t, err)
		if callErr.Code != CallCodeNoPatientID {
			t.Errorf("PatientIDFromResponse(%s) Code = %q, want %q", body, callErr.Code, CallCodeNoPatientID)
		}
		if callErr.Class != FailureUnknown {
			t.Errorf("PatientIDFromResponse(%s) Class = %q, want %q", body, callErr.Class, FailureUnknown)
		}
		if strings.Contains(callErr.Reason, "Elena") {
			t.Errorf("PatientIDFromResponse(%s) Reason = %q contains the response body", body, callErr.Reason)
		}
	}
}
