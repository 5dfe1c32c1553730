package bench

import (
	"encoding/json"
	"net/http"
)

// loadPlan is the request every worker of a scenario repeats and the
// status that counts it as a success. Any other status is an error.
type loadPlan struct {
	request       requestSpec
	successStatus int
	// recordTransactions keeps the transactionId of each accepted send,
	// for the e2e scenario to follow its delivery.
	recordTransactions bool
}

// planScenario builds the load plan of opts.Scenario. A sync send that
// returns 207 (some endpoints failed) or 502 (none reached the EHR)
// counts as an error.
func planScenario(opts Options) loadPlan {
	switch opts.Scenario {
	case ScenarioMapping:
		return loadPlan{
			request:       requestSpec{method: http.MethodGet, url: opts.BaseURL.JoinPath("ehr", "mapping", opts.EHR).String(), apiKey: opts.APIKey},
			successStatus: http.StatusOK,
		}
	case ScenarioSync:
		return loadPlan{
			request:       requestSpec{method: http.MethodPost, url: opts.BaseURL.JoinPath("ehr", "send-patient-data").String(), body: opts.RequestBody, apiKey: opts.APIKey},
			successStatus: http.StatusOK,
		}
	default:
		return loadPlan{
			request:            requestSpec{method: http.MethodPost, url: opts.BaseURL.JoinPath("ehr", "send-patient-data-async").String(), body: opts.RequestBody, apiKey: opts.APIKey},
			successStatus:      http.StatusAccepted,
			recordTransactions: opts.Scenario == ScenarioEndToEnd,
		}
	}
}

// transactionIDOf reads the transactionId from the response body of an
// asynchronous send, or returns "" when the body has none.
func transactionIDOf(responseBody []byte) string {
	var accepted struct {
		TransactionID string `json:"transactionId"`
	}
	if err := json.Unmarshal(responseBody, &accepted); err != nil {
		return ""
	}

	return accepted.TransactionID
}
