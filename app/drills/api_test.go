package drills_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"testing"
	"time"
)

// apiClient talks to one ehrbridge server. Its calls return errors instead
// of stopping the test, so load goroutines can use them.
type apiClient struct {
	baseURL string
	http    *http.Client
}

func newAPIClient(baseURL string, timeout time.Duration) *apiClient {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 32

	return &apiClient{baseURL: baseURL, http: &http.Client{Timeout: timeout, Transport: transport}}
}

// apiAnswer is an HTTP status with the raw body.
type apiAnswer struct {
	status int
	body   []byte
}

func (c *apiClient) do(method, path string, body []byte) (apiAnswer, error) {
	req, err := http.NewRequest(method, c.baseURL+path, bytes.NewReader(body))
	if err != nil {
		return apiAnswer{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return apiAnswer{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return apiAnswer{status: resp.StatusCode}, err
	}

	return apiAnswer{status: resp.StatusCode, body: raw}, nil
}

// sendAsync posts one asynchronous send and returns the status and, for a
// 202, the transaction id.
func (c *apiClient) sendAsync(body []byte) (int, string, error) {
	answer, err := c.do(http.MethodPost, "/ehr/send-patient-data-async", body)
	if err != nil {
		return answer.status, "", err
	}
	if answer.status != http.StatusAccepted {
		return answer.status, "", nil
	}
	var accepted struct {
		TransactionID string `json:"transactionId"`
	}
	if err := json.Unmarshal(answer.body, &accepted); err != nil || accepted.TransactionID == "" {
		return answer.status, "", fmt.Errorf("202 without a transaction id: %s", answer.body)
	}

	return answer.status, accepted.TransactionID, nil
}

// ledgerEntry is one endpoint of GET /ehr/transactions/:id.
type ledgerEntry struct {
	Endpoint   string `json:"endpoint"`
	Status     string `json:"status"`
	HTTPStatus *int   `json:"httpStatus"`
	ErrorCode  string `json:"errorCode"`
	Attempts   int    `json:"attempts"`
}

// transactionDetail is the part of GET /ehr/transactions/:id the drills
// check.
type transactionDetail struct {
	ID        string        `json:"id"`
	Status    string        `json:"status"`
	Attempts  int           `json:"attempts"`
	Endpoints []ledgerEntry `json:"endpoints"`
}

func (c *apiClient) transaction(id string) (transactionDetail, error) {
	answer, err := c.do(http.MethodGet, "/ehr/transactions/"+id, nil)
	if err != nil {
		return transactionDetail{}, err
	}
	if answer.status != http.StatusOK {
		return transactionDetail{}, fmt.Errorf("GET /ehr/transactions/%s answered %d: %s", id, answer.status, answer.body)
	}
	var detail transactionDetail
	if err := json.Unmarshal(answer.body, &detail); err != nil {
		return transactionDetail{}, fmt.Errorf("decoding transaction %s: %w", id, err)
	}

	return detail, nil
}

// health returns the status code and the "status" field of GET /health.
func (c *apiClient) health() (int, string, error) {
	answer, err := c.do(http.MethodGet, "/health", nil)
	if err != nil {
		return 0, "", err
	}
	var body struct {
		Status string `json:"status"`
	}
	_ = json.Unmarshal(answer.body, &body)

	return answer.status, body.Status, nil
}

// pointSystemsAtSimulator sets the base URL of the seeded Athena and
// Allscripts systems to the simulator process, keeping their other
// settings.
func pointSystemsAtSimulator(t *testing.T, server *apiClient, simulatorURL string) {
	t.Helper()
	answer, err := server.do(http.MethodGet, "/ehr/systems", nil)
	if err != nil || answer.status != http.StatusOK {
		t.Fatalf("GET /ehr/systems: %d %v %s", answer.status, err, answer.body)
	}
	var list struct {
		Systems []map[string]any `json:"systems"`
	}
	if err := json.Unmarshal(answer.body, &list); err != nil {
		t.Fatalf("decoding /ehr/systems: %v", err)
	}
	prefixes := map[string]string{"Athena": "/athena", "Allscripts": "/unity"}
	for _, system := range list.Systems {
		name, _ := system["name"].(string)
		prefix, seeded := prefixes[name]
		if !seeded {
			continue
		}
		update := map[string]any{"baseUrl": simulatorURL + prefix}
		for _, field := range []string{"practiceId", "authKind", "clientId", "secretEnv", "options"} {
			if value, ok := system[field]; ok {
				update[field] = value
			}
		}
		body, _ := json.Marshal(update)
		answer, err := server.do(http.MethodPut, "/ehr/systems/"+name, body)
		if err != nil || answer.status != http.StatusOK {
			t.Fatalf("PUT /ehr/systems/%s: %d %v %s", name, answer.status, err, answer.body)
		}
		delete(prefixes, name)
	}
	if len(prefixes) > 0 {
		t.Fatalf("seeded systems missing from /ehr/systems: %v", prefixes)
	}
}

// samplePatient reads a synthetic send request from app/testdata and
// applies changes to its top-level fields; a nil value removes the field.
func samplePatient(t *testing.T, name string, changes map[string]any) []byte {
	t.Helper()
	raw, err := os.ReadFile("../testdata/" + name)
	if err != nil {
		t.Fatalf("reading sample %s: %v", name, err)
	}
	var request map[string]any
	if err := json.Unmarshal(raw, &request); err != nil {
		t.Fatalf("decoding sample %s: %v", name, err)
	}
	for key, value := range changes {
		if value == nil {
			delete(request, key)
			continue
		}
		request[key] = value
	}
	body, err := json.Marshal(request)
	if err != nil {
		t.Fatalf("encoding sample %s: %v", name, err)
	}

	return body
}

// waitAllSucceeded polls GET /ehr/transactions/:id until every id is
// succeeded, and fails the test with the stragglers at the deadline. It
// returns the last detail of each transaction.
func waitAllSucceeded(t *testing.T, client *apiClient, ids []string, within time.Duration) map[string]transactionDetail {
	t.Helper()
	details := make(map[string]transactionDetail, len(ids))
	pending := append([]string{}, ids...)
	deadline := time.Now().Add(within)
	for {
		var still []string
		for _, id := range pending {
			detail, err := client.transaction(id)
			if err != nil || detail.Status != "succeeded" {
				still = append(still, id)
				if err == nil {
					details[id] = detail
				}
				continue
			}
			details[id] = detail
		}
		pending = still
		if len(pending) == 0 {
			return details
		}
		if time.Now().After(deadline) {
			statuses := map[string]int{}
			for _, id := range pending {
				statuses[details[id].Status]++
			}
			t.Fatalf("%d of %d transactions not succeeded within %s; their statuses: %v; first: %s",
				len(pending), len(ids), within, statuses, pending[0])
		}
		time.Sleep(200 * time.Millisecond)
	}
}
