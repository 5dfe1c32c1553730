package app

import (
	"time"

	"golang.org/x/text/language"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

// sendResponseBody is the JSON answer of a synchronous send.
type sendResponseBody struct {
	Success        bool               `json:"success"`
	TransactionID  string             `json:"transactionId"`
	Status         string             `json:"status"`
	Message        string             `json:"message"`
	EHRName        string             `json:"ehrName"`
	MappingVersion int                `json:"mappingVersion"`
	EHRPatientID   string             `json:"ehrPatientId,omitempty"`
	Endpoints      []endpointResponse `json:"endpoints"`
	// UnsentFields are patient fields with a value that the mapping does
	// not send anywhere.
	UnsentFields []string  `json:"unsentFields"`
	Timestamp    time.Time `json:"timestamp"`
}

// endpointResponse is one endpoint's outcome in an API answer.
type endpointResponse struct {
	Name         string            `json:"name"`
	Status       string            `json:"status"`
	HTTPStatus   int               `json:"httpStatus,omitempty"`
	EHRReference string            `json:"ehrReference,omitempty"`
	DurationMS   int64             `json:"durationMs"`
	Error        *endpointErrorOut `json:"error,omitempty"`
}

type endpointErrorOut struct {
	Code      string `json:"code"`
	Retryable bool   `json:"retryable"`
	Message   string `json:"message"`
}

func (a *App) sendResponse(tag language.Tag, txn *store.Transaction, prepared preparedSend, patient *ehr.Patient, status string, outcomes []ehr.Outcome, patientID string) sendResponseBody {
	body := sendResponseBody{
		Success:        status == ehr.StatusSucceeded,
		TransactionID:  txn.ID.String(),
		Status:         status,
		Message:        a.Catalog.Text(tag, "send."+status),
		EHRName:        txn.EHRName,
		MappingVersion: prepared.mapping.Version,
		EHRPatientID:   patientID,
		UnsentFields:   prepared.unsentFields(patient),
		Timestamp:      time.Now().UTC(),
	}
	for _, outcome := range outcomes {
		body.Endpoints = append(body.Endpoints, a.endpointResponse(tag, outcome))
	}

	return body
}

func (a *App) endpointResponse(tag language.Tag, outcome ehr.Outcome) endpointResponse {
	out := endpointResponse{
		Name: outcome.Endpoint, Status: outcome.Status, HTTPStatus: outcome.HTTPStatus,
		EHRReference: outcome.Reference, DurationMS: outcome.Duration.Milliseconds(),
	}
	if outcome.Err != nil {
		out.Error = &endpointErrorOut{
			Code:      outcome.Err.Code,
			Retryable: outcome.Err.Retryable(),
			Message:   a.callErrorMessage(tag, outcome.Err),
		}
	}

	return out
}

// callErrorMessage renders a failed call's message; only the HTTP status
// message takes an argument.
func (a *App) callErrorMessage(tag language.Tag, callErr *ehr.CallError) string {
	if callErr.Code == ehr.CallCodeHTTPStatus {
		return a.Catalog.Text(tag, "ehr_call."+callErr.Code, callErr.HTTPStatus)
	}

	return a.Catalog.Text(tag, "ehr_call."+callErr.Code)
}

// unsentFields lists the patient's fields that no planned endpoint sends.
func (p preparedSend) unsentFields(patient *ehr.Patient) []string {
	endpoints := make([]ehr.Endpoint, len(p.plan.Endpoints))
	for i, planned := range p.plan.Endpoints {
		endpoints[i] = planned.Endpoint
	}
	unsent := ehr.UnsentFields(endpoints, patient)
	if unsent == nil {
		unsent = []string{}
	}

	return unsent
}
