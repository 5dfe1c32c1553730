package sim

import (
	"net/http"
	"strings"
	"time"
)

const athenaPrefix = "/athena"

// serveAthenaToken issues a client-credentials token. Any secret is
// accepted, but the client id must be present.
func (s *Simulator) serveAthenaToken(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}

	target := faultTarget{system: SystemAthena, path: r.URL.Path, token: true}
	s.serve(w, r, target, func() response {
		clientID, _, hasBasic := r.BasicAuth()
		if !hasBasic || clientID == "" {
			return errorResponse(http.StatusUnauthorized, "invalid_client")
		}
		fields, rejected := decodeFormFields(r, body)
		if rejected != nil || fields["grant_type"] != "client_credentials" {
			return errorResponse(http.StatusBadRequest, "unsupported_grant_type")
		}

		return jsonResponse(http.StatusOK, map[string]any{
			"access_token": s.tokens.issue(SystemAthena, time.Now()),
			"token_type":   "Bearer",
			"expires_in":   int(tokenLifetime.Seconds()),
		})
	})
}

func (s *Simulator) serveAthenaCreatePatient(w http.ResponseWriter, r *http.Request) {
	s.serveAthenaData(w, r, func(call Call) (response, *patientEntry) {
		entry := s.createPatientLocked(call)
		body := []map[string]string{{"patientid": entry.record.PatientID}}

		return jsonResponse(http.StatusOK, body), entry
	})
}

func (s *Simulator) serveAthenaRecord(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("section") == "" {
		serveNotFound(w, r)
		return
	}

	s.serveAthenaData(w, r, func(call Call) (response, *patientEntry) {
		call.PatientID = r.PathValue("patientId")
		return s.recordOnPatientLocked(call, func(reference string) response {
			return jsonResponse(http.StatusOK, map[string]any{"success": true, "referenceid": reference})
		})
	})
}

// serveAthenaData reads the body, applies faults, checks the bearer token,
// decodes the form and delivers the call through store.
func (s *Simulator) serveAthenaData(w http.ResponseWriter, r *http.Request, store storeFunc) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}

	target := faultTarget{system: SystemAthena, path: r.URL.Path}
	s.serve(w, r, target, func() response {
		if !s.tokens.valid(SystemAthena, bearerToken(r), time.Now()) {
			return errorResponse(http.StatusUnauthorized, "invalid_token")
		}
		fields, rejected := decodeFormFields(r, body)
		if rejected != nil {
			return rejected.response()
		}

		return s.deliver(newPathCall(SystemAthena, athenaPrefix, r, fields), store)
	})
}

// bearerToken returns the token of an "Authorization: Bearer" header, or "".
func bearerToken(r *http.Request) string {
	scheme, token, found := strings.Cut(r.Header.Get("Authorization"), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}

	return strings.TrimSpace(token)
}

// newPathCall builds the call of a path-addressed request (athena, rest).
// Its Endpoint is the method and the path below prefix.
func newPathCall(system, prefix string, r *http.Request, fields map[string]string) Call {
	return Call{
		System:         system,
		Endpoint:       r.Method + " " + strings.TrimPrefix(r.URL.Path, prefix),
		Method:         r.Method,
		Path:           r.URL.Path,
		Fields:         fields,
		IdempotencyKey: r.Header.Get("Idempotency-Key"),
		ReceivedAt:     time.Now(),
	}
}
