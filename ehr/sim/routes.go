package sim

import "net/http"

const (
	athenaTokenPath  = "/athena/oauth2/v1/token"
	unityServicePath = "/unity/Unity/UnityService.svc/json/"
)

func (s *Simulator) routes() *http.ServeMux {
	mux := http.NewServeMux()

	mux.HandleFunc("POST "+athenaTokenPath, s.serveAthenaToken)
	mux.HandleFunc("POST /athena/v1/{practiceId}/patients", s.serveAthenaCreatePatient)
	mux.HandleFunc("/athena/v1/{practiceId}/chart/{patientId}/{section...}", s.serveAthenaRecord)
	mux.HandleFunc("/athena/v1/{practiceId}/patients/{patientId}/{section...}", s.serveAthenaRecord)

	mux.HandleFunc("POST "+unityServicePath+"GetToken", s.serveUnityToken)
	mux.HandleFunc("POST "+unityServicePath+"MagicJson", s.serveUnityMagicJSON)

	mux.HandleFunc("POST /rest/patients", s.serveRESTCreatePatient)
	mux.HandleFunc("/rest/patients/{patientId}/{section...}", s.serveRESTRecord)

	mux.HandleFunc("GET /inbox", s.serveInbox)
	mux.HandleFunc("DELETE /inbox", s.serveReset)
	mux.HandleFunc("GET /inbox/{system}/{patientId}", s.serveInboxPatient)
	mux.HandleFunc("GET /stats", s.serveStats)

	mux.HandleFunc("GET /faults", s.serveListFaults)
	mux.HandleFunc("POST /faults", s.serveAddFault)
	mux.HandleFunc("DELETE /faults", s.serveClearFaults)
	mux.HandleFunc("DELETE /faults/{id}", s.serveRemoveFault)

	mux.HandleFunc("/", serveNotFound)

	return mux
}

func serveNotFound(w http.ResponseWriter, _ *http.Request) {
	writeResponse(w, errorResponse(http.StatusNotFound, "not found"))
}
