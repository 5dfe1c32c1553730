package sim

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

const (
	// maxBodyBytes is the size limit of every request body. Intake payloads
	// are a few kilobytes.
	maxBodyBytes = 1 << 20

	formMediaType = "application/x-www-form-urlencoded"
	jsonMediaType = "application/json"
)

// readBody reads the whole request body, or writes a 413 or 400 response
// and returns false.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err == nil {
		return body, true
	}

	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		writeResponse(w, errorResponse(http.StatusRequestEntityTooLarge, "request body is larger than 1 MiB"))
	} else {
		writeResponse(w, errorResponse(http.StatusBadRequest, "reading the request body failed"))
	}

	return nil, false
}

func hasMediaType(r *http.Request, want string) bool {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return false
	}
	if want == jsonMediaType && strings.HasSuffix(mediaType, "+json") {
		return true
	}

	return mediaType == want
}

// decodeFormFields reads a form-encoded body into fields, keeping the first
// value of a repeated name. An empty body has no fields.
func decodeFormFields(r *http.Request, body []byte) (map[string]string, *requestError) {
	fields := map[string]string{}
	if len(body) == 0 {
		return fields, nil
	}
	if !hasMediaType(r, formMediaType) {
		return nil, unsupportedMediaType(formMediaType)
	}
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, &requestError{http.StatusBadRequest, "malformed form body"}
	}
	for name, list := range values {
		fields[name] = list[0]
	}

	return fields, nil
}

// decodeJSONFields reads a JSON object of string values. An empty body has
// no fields.
func decodeJSONFields(r *http.Request, body []byte) (map[string]string, *requestError) {
	fields := map[string]string{}
	if len(body) == 0 {
		return fields, nil
	}
	if !hasMediaType(r, jsonMediaType) {
		return nil, unsupportedMediaType(jsonMediaType)
	}
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, &requestError{http.StatusBadRequest, "malformed body: expected a JSON object of string values"}
	}
	if fields == nil { // the body was JSON null
		fields = map[string]string{}
	}

	return fields, nil
}

// requestError is a rejected request: the status and the message sent back.
type requestError struct {
	status  int
	message string
}

func (e *requestError) Error() string {
	return e.message
}

func (e *requestError) response() response {
	return errorResponse(e.status, e.message)
}

func unsupportedMediaType(want string) *requestError {
	return &requestError{http.StatusUnsupportedMediaType, "unsupported content type: send " + want}
}
