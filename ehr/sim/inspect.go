package sim

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// serveInbox lists the stored patients, optionally of one ?system=.
func (s *Simulator) serveInbox(w http.ResponseWriter, r *http.Request) {
	system := r.URL.Query().Get("system")
	if system != "" && !knownSystem(system) {
		writeResponse(w, errorResponse(http.StatusBadRequest, "unknown system "+system+": use athena, unity or rest"))
		return
	}

	writeJSON(w, http.StatusOK, map[string][]PatientRecord{"patients": s.Patients(system)})
}

func (s *Simulator) serveInboxPatient(w http.ResponseWriter, r *http.Request) {
	record, ok := s.Patient(r.PathValue("system"), r.PathValue("patientId"))
	if !ok {
		writeResponse(w, errorResponse(http.StatusNotFound, "patient not found"))
		return
	}

	writeJSON(w, http.StatusOK, record)
}

func (s *Simulator) serveStats(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Stats())
}

func (s *Simulator) serveReset(w http.ResponseWriter, _ *http.Request) {
	s.Reset()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Simulator) serveListFaults(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string][]Fault{"faults": s.Faults()})
}

// serveAddFault adds the Fault in the JSON body. Unknown fields are
// rejected, so a misspelled "latencyMs" is not silently ignored.
func (s *Simulator) serveAddFault(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}

	var fault Fault
	decoder := json.NewDecoder(bytes.NewReader(body))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&fault); err != nil {
		writeResponse(w, errorResponse(http.StatusBadRequest, "malformed fault: "+err.Error()))
		return
	}
	id, err := s.AddFault(fault)
	if err != nil {
		writeResponse(w, errorResponse(http.StatusBadRequest, err.Error()))
		return
	}

	writeJSON(w, http.StatusCreated, map[string]string{"id": id})
}

func (s *Simulator) serveClearFaults(w http.ResponseWriter, _ *http.Request) {
	s.ClearFaults()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Simulator) serveRemoveFault(w http.ResponseWriter, r *http.Request) {
	if !s.RemoveFault(r.PathValue("id")) {
		writeResponse(w, errorResponse(http.StatusNotFound, "fault not found"))
		return
	}

	w.WriteHeader(http.StatusNoContent)
}
