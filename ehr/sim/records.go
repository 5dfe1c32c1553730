package sim

import (
	"maps"
	"time"
)

// System names accepted by the simulator.
const (
	SystemAthena = "athena"
	SystemUnity  = "unity"
	SystemREST   = "rest"
)

// PatientRecord is one patient the simulator created, with every call
// recorded on it in arrival order. The call that created the patient comes
// first.
type PatientRecord struct {
	System    string    `json:"system"`
	PatientID string    `json:"patientId"`
	CreatedAt time.Time `json:"createdAt"`
	Calls     []Call    `json:"calls"`
}

// Call is one data call the simulator accepted and recorded.
type Call struct {
	System    string `json:"system"`
	PatientID string `json:"patientId"`
	// Endpoint is the method and the path below the system prefix, as in
	// "POST /v1/195900/chart/1000/medicalhistory", or the Unity action.
	Endpoint string `json:"endpoint"`
	Method   string `json:"method"`
	// Path is the request path relative to the handler root, system prefix
	// included ("/athena/v1/195900/chart/1000/medicalhistory").
	Path string `json:"path"`
	// Action is the Unity MagicJson action, empty for other systems.
	Action string `json:"action,omitempty"`
	// Fields are the form values (athena), the JSON body (rest) or the Data
	// object plus the non-empty Parameter1 to Parameter6 values (Unity).
	Fields         map[string]string `json:"fields"`
	IdempotencyKey string            `json:"idempotencyKey,omitempty"`
	// Reference is the simulator's id for the call, sent back to the client
	// as "referenceid" (athena) or "id" (rest) by data calls.
	Reference  string    `json:"reference"`
	ReceivedAt time.Time `json:"receivedAt"`
}

// Stats are counters since the simulator was created or last reset.
type Stats struct {
	// Received counts recorded calls, patient creations included, and keeps
	// counting calls of patients evicted since.
	Received int `json:"received"`
	// Replayed counts responses sent again for a known Idempotency-Key.
	Replayed int `json:"replayed"`
	// FaultsFired counts faults applied to requests.
	FaultsFired int `json:"faultsFired"`
	// Patients is the number of patients held now.
	Patients int `json:"patients"`
}

func copyRecord(record PatientRecord) PatientRecord {
	calls := make([]Call, len(record.Calls))
	for i, call := range record.Calls {
		call.Fields = maps.Clone(call.Fields)
		calls[i] = call
	}
	record.Calls = calls

	return record
}
