package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// columnHeader finds the column headers of a table.
var columnHeader = regexp.MustCompile(`<th scope="col">([^<]*)</th>`)

// sectionOf returns the part of page from the first occurrence of start to
// the following end, or fails the test.
func sectionOf(t *testing.T, page, start, end string) string {
	t.Helper()
	at := strings.Index(page, start)
	if at < 0 {
		t.Fatalf("page lacks %q", start)
	}
	section := page[at:]
	if stop := strings.Index(section, end); stop >= 0 {
		section = section[:stop]
	}

	return section
}

func TestTransactionDetailLocalizedErrors(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	failed := env.sendPartiallyFailed(t)

	cases := []struct {
		name, path, message, summary string
	}{
		{"English", "/transactions/" + failed, "The EHR answered with HTTP status 422.", "Technical detail (in English)"},
		{"Spanish", inSpanish("/transactions/" + failed), "El EHR respondió con el estado HTTP 422.", "Detalle técnico (en inglés)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := checkPage(t, env, pageCase{
				name: tc.name, path: tc.path, status: http.StatusOK,
				expected: []string{tc.summary, "EHR answered HTTP 422 Unprocessable Entity"},
			})
			lastError := sectionOf(t, r.raw, `<p id="last-error">`, "</p>")
			if !strings.Contains(lastError, "<code>family_history</code>: "+tc.message) {
				t.Errorf("%s: last error %q, want the failed endpoint with its message", tc.name, lastError)
			}
			if strings.Contains(lastError, "EHR answered HTTP") {
				t.Errorf("%s: last error shows the English text as its main text: %q", tc.name, lastError)
			}
			row := sectionOf(t, r.raw, `<tr id="endpoint-family_history">`, "</tr>")
			message, details, code := strings.Index(row, tc.message), strings.Index(row, "<details"), strings.Index(row, "ehr_http_status")
			if message < 0 || details < message {
				t.Errorf("%s: endpoint row lacks the message before its technical detail: %s", tc.name, row)
			}
			if code < details {
				t.Errorf("%s: endpoint row shows the error code outside its technical detail: %s", tc.name, row)
			}
			if !strings.Contains(row, `<span class="muted">—</span>`) || strings.Contains(row, "<code></code>") {
				t.Errorf("%s: endpoint without an EHR reference does not show a dash: %s", tc.name, row)
			}
		})
	}
}

func TestTransactionRetryNoticeEnds(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)
	env.startWorkers(t)
	failed := env.sendPartiallyFailed(t)

	r := env.postForm(t, "/transactions/"+failed+"/retry", url.Values{})
	location := r.header.Get("Location")
	if r.status != http.StatusSeeOther {
		t.Fatalf("retry: status %d, want 303", r.status)
	}
	jobID := strings.TrimPrefix(location, "/transactions/"+failed+"?retried=")
	// The 422 fault stays, so the retried delivery ends partially failed.
	env.waitForStatus(t, failed, "partially_failed")

	cases := []pageCase{
		{
			name: "retry ended", path: location, status: http.StatusOK,
			expected: []string{
				"The retry in job " + jobID + " has ended: the transaction is partially failed, with 4 of 5 endpoints delivered.",
			},
			forbidden: []string{"Retry queued as job", `hx-trigger="every 2s"`},
		},
		{
			name: "retry ended in Spanish", path: inSpanish(location), status: http.StatusOK,
			expected: []string{"El reintento del trabajo " + jobID + " terminó: la transacción está fallida en parte"},
		},
		{
			name: "job that is not the current one", path: "/transactions/" + failed + "?retried=999999", status: http.StatusOK,
			forbidden: []string{`id="retry-notice"`},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkPage(t, env, tc)
		})
	}
}

func TestTransactionListsShowStatusSecond(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	failed := env.sendPartiallyFailed(t)

	cases := []struct {
		name, path, start, status string
	}{
		{"transaction list", "/transactions", `<section class="card" aria-labelledby="list-heading">`, "Status"},
		{"transaction list in Spanish", inSpanish("/transactions"), `<section class="card" aria-labelledby="list-heading">`, "Estado"},
		{"dashboard failures", "/", `<section class="card" aria-labelledby="failures-heading">`, "Status"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := checkPage(t, env, pageCase{name: tc.name, path: tc.path, status: http.StatusOK, expected: []string{failed}})
			section := sectionOf(t, r.raw, tc.start, "</section>")
			if !strings.Contains(section, `<div class="table-wrap"><table>`) {
				t.Errorf("%s: table is not wrapped in .table-wrap", tc.name)
			}
			headers := columnHeader.FindAllStringSubmatch(section, -1)
			if len(headers) < 2 || headers[1][1] != tc.status {
				t.Errorf("%s: column headers %v, want %q second", tc.name, headers, tc.status)
			}
		})
	}
}

func TestTransactionsJumpUnknownID(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	succeeded := env.sendSucceeded(t, "Athena", 1)
	unknown := uuid.NewString()

	cases := []pageCase{
		{
			name: "unknown id", path: "/transactions?id=" + unknown, status: http.StatusNotFound,
			expected:  []string{`id="error-id"`, "No transaction has this id.", `value="` + unknown + `"`, `href="/transactions/` + succeeded + `"`},
			forbidden: []string{"Some filters are invalid", "No transaction matches these filters."},
		},
		{
			name: "unknown id in Spanish", path: inSpanish("/transactions?id=" + unknown), status: http.StatusNotFound,
			expected:  []string{"Ninguna transacción tiene este id.", `href="/transactions/` + succeeded + `"`},
			forbidden: []string{"Algunos filtros no son válidos", "Ninguna transacción coincide"},
		},
		{
			name: "malformed id", path: "/transactions?id=12345", status: http.StatusBadRequest,
			expected:  []string{"This is not a transaction id", `href="/transactions/` + succeeded + `"`},
			forbidden: []string{"Some filters are invalid"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkPage(t, env, tc)
		})
	}
}
