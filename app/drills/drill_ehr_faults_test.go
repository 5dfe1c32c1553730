package drills_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"ehrbridge/app/store/storetest"
)

// Queue settings of the EHR fault drill, as passed to ehrbridge.
const (
	faultDrillAttempts  = 3
	faultDrillBaseDelay = 100 * time.Millisecond
	faultDrillEHRLimit  = 2 * time.Second
)

// ehrFaultCase is one way an EHR endpoint fails, with what the ledger and
// the queue must show for it.
type ehrFaultCase struct {
	name     string
	endpoint string
	fault    simulatorFault
	// wantStatus, wantHTTPStatus (0 for none) and wantErrorCode are the
	// endpoint's ledger entry once every attempt has failed.
	wantStatus     string
	wantHTTPStatus int
	wantErrorCode  string
	// minWaits is the shortest time the policy allows between the starts
	// of two attempts: the attempt's own time limit, if any, plus the
	// shortest retry wait.
	minWaits []time.Duration
}

// TestDrillEHRFaults makes one athena endpoint per transaction respond
// with 500, respond with 429 and Retry-After, hang past EHR_TIMEOUT, or
// reset the connection, on every attempt. Each transaction must end dead after
// QUEUE_RETRY_ATTEMPTS attempts, with retries spaced as the policy requires
// and a ledger that distinguishes the four failures.
func TestDrillEHRFaults(t *testing.T) {
	requireBinary(t)
	began := time.Now()
	databaseURL := storetest.NewDatabaseURL(t)
	redisURL := sharedRedisURL(t)
	sim := startSimulator(t)
	server := startServer(t, "ehrbridge serve", serverSettings{
		databaseURL: databaseURL, redisURL: redisURL, cachePrefix: uniqueCachePrefix(t, redisURL),
		extra: map[string]string{"QUEUE_RETRY_ATTEMPTS": itoa(faultDrillAttempts)},
	})
	client := newAPIClient(server.url, 10*time.Second)
	pointSystemsAtSimulator(t, client, sim.url)

	// Backoff after attempt n waits between half and all of base×2^(n-1).
	backoff := []time.Duration{faultDrillBaseDelay / 2, faultDrillBaseDelay}
	cases := []ehrFaultCase{
		{
			name: "HTTP 500", endpoint: "medical_history",
			fault:      simulatorFault{System: "athena", Match: "medicalhistory", Mode: "status", Status: 500},
			wantStatus: "failed", wantHTTPStatus: 500, wantErrorCode: "ehr_http_status",
			minWaits: backoff,
		},
		{
			name: "HTTP 429 with Retry-After: 1", endpoint: "social_history",
			fault:      simulatorFault{System: "athena", Match: "socialhistory", Mode: "status", Status: 429, RetryAfterSeconds: 1},
			wantStatus: "failed", wantHTTPStatus: 429, wantErrorCode: "ehr_http_status",
			minWaits: []time.Duration{time.Second, time.Second},
		},
		{
			name: "timeout", endpoint: "family_history",
			fault:      simulatorFault{System: "athena", Match: "familyhistory", Mode: "timeout"},
			wantStatus: "unknown", wantErrorCode: "ehr_timeout",
			minWaits: []time.Duration{faultDrillEHRLimit + backoff[0], faultDrillEHRLimit + backoff[1]},
		},
		{
			name: "connection reset", endpoint: "insurance_info",
			fault:      simulatorFault{System: "athena", Match: "insurances", Mode: "reset"},
			wantStatus: "unknown", wantErrorCode: "ehr_connection",
			minWaits: backoff,
		},
	}
	transactionIDs := make([]string, len(cases))
	for i, tc := range cases {
		sim.addFault(t, tc.fault)
		body := samplePatient(t, "full-en.json", map[string]any{"targetEndpoints": []string{"patient_demographics", tc.endpoint}})
		status, id, err := client.sendAsync(body)
		if err != nil || status != http.StatusAccepted {
			t.Fatalf("%s: async send answered %d, %v", tc.name, status, err)
		}
		transactionIDs[i] = id
	}

	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			detail := waitFinal(t, client, transactionIDs[i], 60*time.Second)
			requireFaultLedger(t, tc, detail)
			requireRetrySpacing(t, tc, waitJobFinalized(t, databaseURL, transactionIDs[i], 30*time.Second))
			if count := callsByIdempotencyKey(sim.calls(t))[transactionIDs[i]+":"+tc.endpoint]; count != 0 {
				t.Errorf("the simulator stored %s %d times, want 0: every call failed", tc.endpoint, count)
			}
		})
	}

	honored := strings.Count(server.output.String(), "delivery retry scheduled after the EHR's Retry-After")
	if honored != faultDrillAttempts-1 {
		t.Errorf("ehrbridge logged %d retries scheduled after Retry-After, want %d", honored, faultDrillAttempts-1)
	}
	stats := sim.stats(t)
	t.Logf("simulator: %d faults fired, %d calls stored", stats.FaultsFired, stats.Received)
	t.Logf("drill took %s", time.Since(began).Round(time.Millisecond))
}

// waitFinal polls a transaction until no automatic attempt follows (dead,
// failed, partially_failed or succeeded).
func waitFinal(t *testing.T, client *apiClient, id string, within time.Duration) transactionDetail {
	t.Helper()
	var detail transactionDetail
	waitUntil(t, within, "transaction "+id+" to end", func() bool {
		var err error
		detail, err = client.transaction(id)
		if err != nil {
			t.Fatalf("%v", err)
		}
		return detail.Status != "queued" && detail.Status != "processing"
	})

	return detail
}

// waitJobFinalized polls the transaction's delivery job until River has
// recorded its end, which it does in batches after the worker returns.
func waitJobFinalized(t *testing.T, databaseURL, transactionID string, within time.Duration) deliveryJob {
	t.Helper()
	var job deliveryJob
	waitUntil(t, within, "the delivery job of "+transactionID+" to end", func() bool {
		job = findDeliveryJob(t, databaseURL, transactionID)
		return job.state == "discarded" || job.state == "cancelled" || job.state == "completed"
	})

	return job
}

// requireFaultLedger checks the transaction's end and the ledger entry of
// the failing endpoint.
func requireFaultLedger(t *testing.T, tc ehrFaultCase, detail transactionDetail) {
	t.Helper()
	if detail.Status != "dead" {
		t.Errorf("transaction status %q, want dead", detail.Status)
	}
	if detail.Attempts != faultDrillAttempts {
		t.Errorf("transaction attempts %d, want %d", detail.Attempts, faultDrillAttempts)
	}
	var failing *ledgerEntry
	for i, entry := range detail.Endpoints {
		switch entry.Endpoint {
		case tc.endpoint:
			failing = &detail.Endpoints[i]
		case "patient_demographics":
			if entry.Status != "succeeded" || entry.Attempts != 1 {
				t.Errorf("patient_demographics: status %q after %d attempts, want succeeded after 1", entry.Status, entry.Attempts)
			}
		default:
			t.Errorf("ledger has endpoint %s, which the send did not target", entry.Endpoint)
		}
	}
	if failing == nil {
		t.Fatalf("ledger has no %s entry: %+v", tc.endpoint, detail.Endpoints)
	}

	httpStatus := 0
	if failing.HTTPStatus != nil {
		httpStatus = *failing.HTTPStatus
	}
	t.Logf("ledger of %s: status %s, httpStatus %d, errorCode %s, attempts %d",
		tc.endpoint, failing.Status, httpStatus, failing.ErrorCode, failing.Attempts)
	if failing.Status != tc.wantStatus {
		t.Errorf("status %q, want %q", failing.Status, tc.wantStatus)
	}
	if httpStatus != tc.wantHTTPStatus {
		t.Errorf("httpStatus %d, want %d", httpStatus, tc.wantHTTPStatus)
	}
	if failing.ErrorCode != tc.wantErrorCode {
		t.Errorf("errorCode %q, want %q", failing.ErrorCode, tc.wantErrorCode)
	}
	if failing.Attempts != faultDrillAttempts {
		t.Errorf("attempts %d, want %d", failing.Attempts, faultDrillAttempts)
	}
}

// requireRetrySpacing checks that the queue gave up after the allowed
// attempts and never started an attempt sooner than the policy allows.
func requireRetrySpacing(t *testing.T, tc ehrFaultCase, job deliveryJob) {
	t.Helper()
	if job.state != "discarded" || job.attempt != faultDrillAttempts {
		t.Errorf("job state %q after %d attempts, want discarded after %d", job.state, job.attempt, faultDrillAttempts)
	}
	if len(job.attemptStarts) != faultDrillAttempts {
		t.Fatalf("job records %d failed attempts, want %d", len(job.attemptStarts), faultDrillAttempts)
	}
	gaps := make([]string, 0, len(tc.minWaits))
	for i, minWait := range tc.minWaits {
		gap := job.attemptStarts[i+1].Sub(job.attemptStarts[i])
		gaps = append(gaps, gap.Round(time.Millisecond).String())
		if gap < minWait {
			t.Errorf("attempt %d started %s after attempt %d, want at least %s", i+2, gap, i+1, minWait)
		}
	}
	t.Logf("attempts started %s apart (policy minimum %v)", strings.Join(gaps, ", "), fmt.Sprint(tc.minWaits))
}
