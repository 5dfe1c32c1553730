package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"ehrbridge/ehr/sim"
)

// cancelledJob sends the full sample asynchronously while the simulator
// rejects one section for good, waits until the delivery job is cancelled
// and returns the transaction and job ids.
func cancelledJob(t *testing.T, env *testEnv) (string, int64) {
	t.Helper()
	if _, err := env.app.Simulator.AddFault(sim.Fault{System: sim.SystemAthena, Match: "familyhistory", Status: http.StatusUnprocessableEntity}); err != nil {
		t.Fatalf("AddFault: %v", err)
	}
	r := env.sendAsync(t, sample(t, "full-en.json"))
	id := r.json["transactionId"].(string)
	jobID := int64(r.json["jobId"].(float64))
	env.waitForStatus(t, id, "partially_failed")

	deadline := time.Now().Add(10 * time.Second)
	for {
		job, err := env.app.Queue.JobGet(context.Background(), jobID)
		if err == nil && job.State == rivertype.JobStateCancelled {
			return id, jobID
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d not cancelled in time (error %v)", jobID, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestQueuePages(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)
	env.startWorkers(t)
	txnID, jobID := cancelledJob(t, env)
	jobRow := `id="job-` + strconv.FormatInt(jobID, 10) + `"`
	retryForm := `action="/queue/jobs/` + strconv.FormatInt(jobID, 10) + `/retry"`

	cases := []pageCase{
		{
			name: "queue in English", path: "/queue", status: http.StatusOK,
			expected: []string{
				"<h1>Queue</h1>", "Jobs by state", "cancelled", "Waiting", "Oldest waiting", "Failed in the last minute",
				jobRow, `href="/transactions/` + txnID + `"`, retryForm, `name="_csrf"`, "1 of 10",
				`href="/admin/riverui/"`, "Inspect jobs in River UI",
			},
			forbidden: patientDataInFullSample,
		},
		{
			name: "queue in Spanish", path: inSpanish("/queue"), status: http.StatusOK,
			expected:  []string{"<h1>Cola</h1>", "Trabajos por estado", "cancelado", "esperando reintento", "1 de 10", "Reintentar"},
			forbidden: patientDataInFullSample,
		},
		{
			name: "state filter", path: "/queue?state=cancelled", status: http.StatusOK,
			expected: []string{jobRow, `<option value="cancelled" selected>`},
		},
		{
			name: "state filter without matches", path: "/queue?state=running", status: http.StatusOK,
			expected: []string{"No job matches this filter."}, forbidden: []string{jobRow},
		},
		{
			name: "unknown state", path: "/queue?state=lost", status: http.StatusBadRequest,
			expected: []string{`id="error-state"`, "State must be one of: available", `aria-invalid="true"`},
		},
		{
			name: "unknown state in Spanish", path: inSpanish("/queue?state=lost"), status: http.StatusBadRequest,
			expected: []string{"Estado debe ser uno de: available"},
		},
		{
			name: "broken cursor", path: "/queue?cursor=abc", status: http.StatusBadRequest,
			expected: []string{`id="error-cursor"`},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkPage(t, env, tc)
		})
	}

	r := env.postForm(t, "/queue/jobs/"+strconv.FormatInt(jobID, 10)+"/retry", url.Values{})
	location := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(location, "/transactions/"+txnID+"?retried=") {
		t.Fatalf("job retry: status %d, Location %q; want 303 to the transaction with the new job", r.status, location)
	}
	entries := env.auditEntries(t, "transaction.retry")
	if len(entries) != 1 || entries[0].Target != txnID {
		t.Fatalf("audit log after the job retry: %+v, want one transaction.retry entry for %s", entries, txnID)
	}
	var details map[string]float64
	if err := json.Unmarshal(entries[0].Details, &details); err != nil || details["fromJobId"] != float64(jobID) || details["jobId"] == 0 {
		t.Errorf("audit details %s (%v), want the new jobId and fromJobId %d", entries[0].Details, err, jobID)
	}
	// The permanent 422 is still active, so the retried delivery ends as
	// before, with one more attempt counted.
	detail := env.waitForStatus(t, txnID, "partially_failed")
	if attempts := detail.json["attempts"].(float64); attempts < 2 {
		t.Errorf("transaction attempts after the job retry: %v, want at least 2", attempts)
	}

	t.Run("unknown job", func(t *testing.T) {
		r := env.postForm(t, "/queue/jobs/999999/retry", url.Values{})
		if r.status != http.StatusNotFound || !strings.Contains(r.raw, "No delivery job has the id 999999") {
			t.Errorf("retry of an unknown job: status %d, want 404 naming it", r.status)
		}
	})
}

func TestQueuePagePaginates(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	for i := range 3 {
		env.sendAsync(t, minimalPatient("Athena", i))
	}

	first := checkPage(t, env, pageCase{name: "first page", path: "/queue?limit=2", status: http.StatusOK})
	match := nextPageLink.FindStringSubmatch(first.raw)
	if match == nil {
		t.Fatal("first page of 3 jobs by 2 has no next page link")
	}
	next := strings.ReplaceAll(match[1], "&amp;", "&")
	second := checkPage(t, env, pageCase{
		name: "second page", path: next, status: http.StatusOK, expected: []string{"First page"},
	})
	if strings.Count(first.raw, `<tr id="job-`) != 2 || strings.Count(second.raw, `<tr id="job-`) != 1 {
		t.Errorf("pages hold %d and %d jobs, want 2 and 1",
			strings.Count(first.raw, `<tr id="job-`), strings.Count(second.raw, `<tr id="job-`))
	}
	if nextPageLink.MatchString(second.raw) {
		t.Error("last page links to a next page")
	}
}
