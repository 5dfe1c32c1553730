package sim

import (
	"encoding/json"
	"net/http"
)

// response is a complete HTTP response, kept whole so that an idempotent
// replay can send the same bytes again.
type response struct {
	status      int
	contentType string
	body        []byte
}

func (r response) succeeded() bool {
	return r.status >= 200 && r.status < 300
}

func jsonResponse(status int, value any) response {
	body, err := json.Marshal(value)
	if err != nil {
		// Only maps, slices and structs of strings and numbers reach here.
		panic("sim: encoding a response failed: " + err.Error())
	}

	return response{status: status, contentType: "application/json", body: body}
}

func errorResponse(status int, message string) response {
	return jsonResponse(status, map[string]string{"error": message})
}

func writeResponse(w http.ResponseWriter, r response) {
	w.Header().Set("Content-Type", r.contentType)
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body)
}

func writeJSON(w http.ResponseWriter, status int, value any) {
	writeResponse(w, jsonResponse(status, value))
}
