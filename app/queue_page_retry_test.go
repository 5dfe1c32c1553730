package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// retryFormOf is the Retry form of a job on the queue page.
func retryFormOf(jobID int64) string {
	return `action="/queue/jobs/` + strconv.FormatInt(jobID, 10) + `/retry"`
}

func TestQueuePageRetryOfStaleJob(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)
	env.startWorkers(t)
	txnID, oldJob := cancelledJob(t, env)
	env.app.Simulator.ClearFaults()

	r := env.postForm(t, "/queue/jobs/"+strconv.FormatInt(oldJob, 10)+"/retry", url.Values{})
	if r.status != http.StatusSeeOther {
		t.Fatalf("first retry of job %d: status %d, want 303", oldJob, r.status)
	}
	env.waitForStatus(t, txnID, "succeeded")
	txn, err := env.app.Store.FindTransaction(context.Background(), uuid.MustParse(txnID))
	if err != nil || txn.JobID == nil {
		t.Fatalf("transaction after the retry: job %v (%v), want a new job", txn.JobID, err)
	}
	newJob := *txn.JobID

	page := checkPage(t, env, pageCase{name: "queue after the retry succeeded", path: "/queue", status: http.StatusOK})
	for _, jobID := range []int64{oldJob, newJob} {
		if strings.Contains(page.raw, retryFormOf(jobID)) {
			t.Errorf("queue page offers to retry job %d of a succeeded transaction", jobID)
		}
	}

	cases := []struct {
		name     string
		path     string
		expected []string
	}{
		{
			name: "old job of the transaction", path: "/queue/jobs/" + strconv.FormatInt(oldJob, 10) + "/retry",
			expected: []string{"<h1>Queue</h1>", `id="queue-notice"`, "Job " + strconv.FormatInt(oldJob, 10) + " was not retried: its transaction has a newer delivery job."},
		},
		{
			name: "current job of a succeeded transaction", path: "/queue/jobs/" + strconv.FormatInt(newJob, 10) + "/retry",
			expected: []string{"<h1>Queue</h1>", "Job " + strconv.FormatInt(newJob, 10) + " was not retried: its transaction is now succeeded."},
		},
		{
			name: "current job in Spanish", path: inSpanish("/queue/jobs/" + strconv.FormatInt(newJob, 10) + "/retry"),
			expected: []string{"<h1>Cola</h1>", "No se reintentó el trabajo " + strconv.FormatInt(newJob, 10) + ": su transacción ahora está completada."},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := env.postForm(t, tc.path, url.Values{})
			if r.status != http.StatusConflict {
				t.Errorf("%s: status %d, want 409", tc.name, r.status)
			}
			for _, text := range tc.expected {
				if !strings.Contains(r.raw, text) {
					t.Errorf("%s: answer lacks %q", tc.name, text)
				}
			}
			if key := untranslatedKey.FindString(r.raw); key != "" {
				t.Errorf("%s: answer shows the untranslated key %s", tc.name, key)
			}
		})
	}
	if n := len(env.auditEntries(t, "transaction.retry")); n != 1 {
		t.Errorf("audit log has %d transaction.retry entries after rejected retries, want 1", n)
	}
}

func TestQueuePageExplainsJobs(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)
	env.startWorkers(t)
	_, jobID := cancelledJob(t, env)
	row := `id="job-` + strconv.FormatInt(jobID, 10) + `"`

	cases := []pageCase{
		{
			name: "English", path: "/queue", status: http.StatusOK,
			expected: []string{
				retryFormOf(jobID), `id="queue-states-explained"`, `leaves a &#34;cancelled&#34; job`,
				"River UI, in English, shows the queue&#39;s own pages for inspection only", `aria-describedby="river-ui-hint"`,
				"Transaction status", "Technical detail (in English)",
			},
		},
		{
			name: "Spanish", path: inSpanish("/queue"), status: http.StatusOK,
			expected: []string{"deja un trabajo &#34;cancelado&#34;", "River UI, en inglés", "fallida en parte", "Detalle técnico (en inglés)"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := checkPage(t, env, tc)
			cell := jobErrorCell(t, r.raw, row)
			if at, details := strings.Index(cell, "JobCancelError"), strings.Index(cell, "<details"); at < 0 || details < 0 || at < details {
				t.Errorf("%s: River's error text is not folded in a <details> of the job's row: %s", tc.name, cell)
			}
			if !strings.Contains(cell, `class="badge status-partially_failed"`) {
				t.Errorf("%s: job row does not show its transaction's status: %s", tc.name, cell)
			}
		})
	}
}

// jobErrorCell returns the last but one cell of the job row that starts
// with rowID: the transaction status and error cell.
func jobErrorCell(t *testing.T, page, rowID string) string {
	t.Helper()
	start := strings.Index(page, rowID)
	if start < 0 {
		t.Fatalf("page has no row %s", rowID)
	}
	row := page[start:]
	row = row[:strings.Index(row, "</tr>")]
	cells := strings.Split(row, "<td>")

	return cells[len(cells)-2]
}
