package sim

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
)

// sectionNames are posted for every patient of the concurrency test.
var sectionNames = []string{"allergies", "medications", "problems", "socialhistory"}

func TestConcurrentPatientsAndSections(t *testing.T) {
	t.Parallel()
	ts := startSimulator(t, Options{})
	athenaToken := ts.athenaToken(t)
	unityToken := ts.unityToken(t)
	const patients = 50

	stopReading := make(chan struct{})
	var readers sync.WaitGroup
	readers.Go(func() { readInboxUntil(t, ts, stopReading) })

	var created atomic.Int32
	var wg sync.WaitGroup
	for i := range patients {
		wg.Go(func() {
			system := []string{SystemAthena, SystemUnity, SystemREST}[i%3]
			client := patientClient{ts: ts, system: system, athenaToken: athenaToken, unityToken: unityToken}
			patientID, ok := client.create(t)
			if !ok {
				return
			}
			created.Add(1)
			client.sendSections(t, patientID, fmt.Sprintf("patient-%d", i))
		})
	}
	wg.Wait()
	close(stopReading)
	readers.Wait()

	if got := int(created.Load()); got != patients {
		t.Fatalf("created %d patients, want %d", got, patients)
	}
	records := ts.sim.Patients("")
	if len(records) != patients {
		t.Errorf("stored patients = %d, want %d", len(records), patients)
	}
	for _, record := range records {
		if got := len(record.Calls); got != 1+len(sectionNames) {
			t.Errorf("%s/%s has %d calls, want %d", record.System, record.PatientID, got, 1+len(sectionNames))
		}
	}
	stats := ts.sim.Stats()
	if want := patients * (1 + len(sectionNames)); stats.Received != want {
		t.Errorf("received = %d, want %d", stats.Received, want)
	}
	if want := patients * len(sectionNames); stats.Replayed != want {
		t.Errorf("replayed = %d, want %d (one retry per section)", stats.Replayed, want)
	}
	for _, system := range []string{SystemAthena, SystemUnity, SystemREST} {
		assertDistinctIDs(t, ts.sim.Patients(system))
	}
}

// readInboxUntil reads the inspection routes until stop is closed, so that
// reads race with writes under -race.
func readInboxUntil(t *testing.T, ts *testServer, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		for _, path := range []string{"/inbox", "/stats", "/faults"} {
			resp, err := ts.sendWith(ts.server.Client(), request{method: http.MethodGet, path: path})
			if err != nil || resp.status != http.StatusOK {
				t.Errorf("GET %s during writes: status %d, error %v", path, resp.status, err)
			}
		}
	}
}

func assertDistinctIDs(t *testing.T, records []PatientRecord) {
	t.Helper()

	seen := map[string]bool{}
	for _, record := range records {
		if seen[record.PatientID] {
			t.Errorf("patient id %s/%s was issued twice", record.System, record.PatientID)
		}
		seen[record.PatientID] = true
	}
}

// patientClient creates a patient on one system and posts its sections.
type patientClient struct {
	ts          *testServer
	system      string
	athenaToken string
	unityToken  string
}

func (c patientClient) create(t *testing.T) (string, bool) {
	var req request
	switch c.system {
	case SystemAthena:
		req = athenaData(http.MethodPost, athenaBase+"/patients", c.athenaToken, url.Values{"lastname": {"Synthetic"}}, "")
	case SystemUnity:
		req = unityCall(map[string]any{"Action": "SavePatient", "Token": c.unityToken}, "")
	default:
		req = restData(http.MethodPost, "/rest/patients", `{"lastName":"Synthetic"}`, "")
	}

	resp, err := c.ts.sendWith(c.ts.server.Client(), req)
	if err != nil || resp.status/100 != 2 {
		t.Errorf("%s create: status %d, error %v", c.system, resp.status, err)
		return "", false
	}

	return c.patientIDFrom(t, resp.body), true
}

func (c patientClient) patientIDFrom(t *testing.T, body string) string {
	switch c.system {
	case SystemAthena:
		var created []struct {
			PatientID string `json:"patientid"`
		}
		decodeJSONConcurrent(t, body, &created)
		if len(created) == 1 {
			return created[0].PatientID
		}
	case SystemUnity:
		var created []struct {
			Info []struct{ PatientID string } `json:"savepatientinfo"`
		}
		decodeJSONConcurrent(t, body, &created)
		if len(created) == 1 && len(created[0].Info) == 1 {
			return created[0].Info[0].PatientID
		}
	default:
		var created struct {
			ID string `json:"id"`
		}
		decodeJSONConcurrent(t, body, &created)
		return created.ID
	}

	return ""
}

// sendSections posts every section in parallel, each twice with the same
// idempotency key, as a client retrying after a lost response would.
func (c patientClient) sendSections(t *testing.T, patientID, keyPrefix string) {
	var wg sync.WaitGroup
	for _, section := range sectionNames {
		req := c.sectionRequest(patientID, section, keyPrefix+"-"+section)
		for range 2 {
			wg.Go(func() {
				resp, err := c.ts.sendWith(c.ts.server.Client(), req)
				if err != nil || resp.status != http.StatusOK {
					t.Errorf("%s %s for %s: status %d, error %v", c.system, section, patientID, resp.status, err)
				}
			})
		}
	}
	wg.Wait()
}

func (c patientClient) sectionRequest(patientID, section, key string) request {
	switch c.system {
	case SystemAthena:
		return athenaData(http.MethodPost, athenaBase+"/chart/"+patientID+"/"+section, c.athenaToken, url.Values{"note": {"synthetic"}}, key)
	case SystemUnity:
		return unityCall(map[string]any{"Action": "Save" + section, "Token": c.unityToken, "PatientID": patientID,
			"Data": map[string]string{"note": "synthetic"}}, key)
	default:
		return restData(http.MethodPost, "/rest/patients/"+patientID+"/"+section, `{"note":"synthetic"}`, key)
	}
}

// decodeJSONConcurrent reports a decoding failure without t.Fatal, which
// must not be called from a goroutine other than the test's.
func decodeJSONConcurrent(t *testing.T, body string, target any) {
	if err := jsonUnmarshal(body, target); err != nil {
		t.Errorf("decoding %q: %v", body, err)
	}
}
