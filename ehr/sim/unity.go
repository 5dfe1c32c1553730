package sim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const unitySavePatientAction = "SavePatient"

// magicJSONRequest is the Unity MagicJson envelope.
type magicJSONRequest struct {
	Action     string
	AppUserID  string
	Appname    string
	PatientID  string
	Token      string
	Parameter1 string
	Parameter2 string
	Parameter3 string
	Parameter4 string
	Parameter5 string
	Parameter6 string
	Data       json.RawMessage
}

// serveUnityToken issues a token for any non-empty Username without
// checking the password.
func (s *Simulator) serveUnityToken(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}

	target := faultTarget{system: SystemUnity, path: r.URL.Path, token: true}
	s.serve(w, r, target, func() response {
		if !hasMediaType(r, jsonMediaType) {
			return unsupportedMediaType(jsonMediaType).response()
		}
		var credentials struct{ Username, Password string }
		if err := json.Unmarshal(body, &credentials); err != nil {
			return errorResponse(http.StatusBadRequest, "malformed body: expected a JSON object with Username and Password")
		}
		if credentials.Username == "" {
			return errorResponse(http.StatusUnauthorized, "invalid credentials")
		}
		token := s.tokens.issue(SystemUnity, time.Now())

		return response{status: http.StatusOK, contentType: "text/plain; charset=utf-8", body: []byte(token)}
	})
}

func (s *Simulator) serveUnityMagicJSON(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	// The envelope is decoded before faults apply, because a fault may match
	// its Action.
	request, fields, rejected := decodeMagicJSON(r, body)
	if rejected != nil {
		writeResponse(w, rejected.response())
		return
	}

	target := faultTarget{system: SystemUnity, path: r.URL.Path, action: request.Action}
	s.serve(w, r, target, func() response {
		if !s.tokens.valid(SystemUnity, request.Token, time.Now()) {
			return errorResponse(http.StatusUnauthorized, "invalid token")
		}

		return s.runUnityAction(r, request, fields)
	})
}

func (s *Simulator) runUnityAction(r *http.Request, request magicJSONRequest, fields map[string]string) response {
	action := request.Action
	call := Call{
		System:         SystemUnity,
		PatientID:      request.PatientID,
		Endpoint:       action,
		Method:         r.Method,
		Path:           r.URL.Path,
		Action:         action,
		Fields:         fields,
		IdempotencyKey: r.Header.Get("Idempotency-Key"),
		ReceivedAt:     time.Now(),
	}

	switch {
	case strings.EqualFold(action, unitySavePatientAction):
		return s.deliver(call, func(call Call) (response, *patientEntry) {
			entry := s.createPatientLocked(call)
			return unityResponse(action, map[string]string{"PatientID": entry.record.PatientID}), entry
		})
	case strings.HasPrefix(strings.ToLower(action), "save"):
		return s.deliver(call, func(call Call) (response, *patientEntry) {
			return s.recordOnPatientLocked(call, func(string) response {
				return unityResponse(action, map[string]string{"Status": "OK"})
			})
		})
	default:
		return errorResponse(http.StatusBadRequest, "unknown action")
	}
}

// unityResponse builds Unity's result shape: [{"<action>info": [info]}] with
// the action lowercased.
func unityResponse(action string, info map[string]string) response {
	body := []map[string][]map[string]string{{strings.ToLower(action) + "info": {info}}}

	return jsonResponse(http.StatusOK, body)
}

// decodeMagicJSON decodes the envelope and collects its fields: the Data
// object plus the non-empty Parameter1 to Parameter6 values.
func decodeMagicJSON(r *http.Request, body []byte) (magicJSONRequest, map[string]string, *requestError) {
	var request magicJSONRequest
	if !hasMediaType(r, jsonMediaType) {
		return request, nil, unsupportedMediaType(jsonMediaType)
	}
	if err := json.Unmarshal(body, &request); err != nil {
		return request, nil, &requestError{http.StatusBadRequest, "malformed body: expected a MagicJson JSON object"}
	}

	fields := map[string]string{}
	if len(request.Data) > 0 {
		if err := json.Unmarshal(request.Data, &fields); err != nil {
			return request, nil, &requestError{http.StatusBadRequest, "malformed Data: expected a JSON object of string values"}
		}
		if fields == nil { // Data was JSON null
			fields = map[string]string{}
		}
	}

	parameters := []string{request.Parameter1, request.Parameter2, request.Parameter3,
		request.Parameter4, request.Parameter5, request.Parameter6}
	for i, value := range parameters {
		if value != "" {
			fields["Parameter"+strconv.Itoa(i+1)] = value
		}
	}

	return request, fields, nil
}
