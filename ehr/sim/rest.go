package sim

import "net/http"

const restPrefix = "/rest"

func (s *Simulator) serveRESTCreatePatient(w http.ResponseWriter, r *http.Request) {
	s.serveRESTData(w, r, func(call Call) (response, *patientEntry) {
		entry := s.createPatientLocked(call)

		return jsonResponse(http.StatusCreated, map[string]string{"id": entry.record.PatientID}), entry
	})
}

func (s *Simulator) serveRESTRecord(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("section") == "" {
		serveNotFound(w, r)
		return
	}

	s.serveRESTData(w, r, func(call Call) (response, *patientEntry) {
		call.PatientID = r.PathValue("patientId")
		return s.recordOnPatientLocked(call, func(reference string) response {
			return jsonResponse(http.StatusOK, map[string]string{"id": reference})
		})
	})
}

// serveRESTData reads the body, applies faults, decodes the JSON fields and
// delivers the call through store. The REST API needs no authentication.
func (s *Simulator) serveRESTData(w http.ResponseWriter, r *http.Request, store storeFunc) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}

	target := faultTarget{system: SystemREST, path: r.URL.Path}
	s.serve(w, r, target, func() response {
		fields, rejected := decodeJSONFields(r, body)
		if rejected != nil {
			return rejected.response()
		}

		return s.deliver(newPathCall(SystemREST, restPrefix, r, fields), store)
	})
}
