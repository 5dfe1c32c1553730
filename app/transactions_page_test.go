package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestTransactionsPages(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	failed := env.sendPartiallyFailed(t)
	athena := env.sendSucceeded(t, "Athena", 1)
	allscripts := env.sendSucceeded(t, "Allscripts", 2)
	link := func(id string) string { return `href="/transactions/` + id + `"` }

	cases := []pageCase{
		{
			name: "list in English", path: "/transactions", status: http.StatusOK,
			expected: []string{
				"<h1>Transactions</h1>", link(failed), link(athena), link(allscripts), "partially failed", "succeeded",
				"synchronous", "4 of 5", `<label for="filter-status">Status</label>`, `<label for="jump-id">Transaction id</label>`,
			},
			forbidden: append([]string{"Test1", "t1@example.com"}, patientDataInFullSample...),
		},
		{
			name: "list in Spanish", path: inSpanish("/transactions"), status: http.StatusOK,
			expected:  []string{"<h1>Transacciones</h1>", "fallida en parte", "completada", "síncrono", "4 de 5", "Abrir una transacción"},
			forbidden: patientDataInFullSample,
		},
		{
			name: "status filter", path: "/transactions?status=partially_failed", status: http.StatusOK,
			expected:  []string{link(failed), `<option value="partially_failed" selected>`},
			forbidden: []string{link(athena), link(allscripts)},
		},
		{
			name: "EHR filter ignores case", path: "/transactions?ehr=allscripts", status: http.StatusOK,
			expected:  []string{link(allscripts), `<option value="Allscripts" selected>`},
			forbidden: []string{link(athena), link(failed)},
		},
		{
			name: "dates before every send", path: "/transactions?from=2020-01-01&to=2020-01-31", status: http.StatusOK,
			expected:  []string{"No transaction matches these filters.", `value="2020-01-01"`},
			forbidden: []string{link(athena)},
		},
		{
			name: "unknown status", path: "/transactions?status=lost", status: http.StatusBadRequest,
			expected: []string{
				"Some filters are invalid", `id="error-status"`, "Status must be one of: queued, processing",
				`aria-describedby="error-status"`, `aria-invalid="true"`,
			},
		},
		{
			name: "unknown status in Spanish", path: inSpanish("/transactions?status=lost"), status: http.StatusBadRequest,
			expected: []string{"Algunos filtros no son válidos", "Estado debe ser uno de: queued"},
		},
		{
			name: "unknown EHR", path: "/transactions?ehr=Nowhere", status: http.StatusBadRequest,
			expected: []string{`id="error-ehr"`, "EHR must be one of: Allscripts, Athena"},
		},
		{
			name: "impossible date", path: "/transactions?from=2026-02-30", status: http.StatusBadRequest,
			expected: []string{`id="error-from"`, "must be a real date written as YYYY-MM-DD"},
		},
		{
			name: "end before start", path: "/transactions?from=2026-03-02&to=2026-03-01", status: http.StatusBadRequest,
			expected:  []string{`id="error-to"`, "The end date must not be before the start date."},
			forbidden: []string{`id="error-from"`},
		},
		{
			name: "end before start in Spanish", path: inSpanish("/transactions?from=2026-03-02&to=2026-03-01"), status: http.StatusBadRequest,
			expected: []string{"La fecha final no puede ser anterior a la inicial."},
		},
		{
			name: "page size out of range", path: "/transactions?limit=0", status: http.StatusBadRequest,
			expected: []string{`id="error-limit"`, "Page size must be between 1 and 100"},
		},
		{
			name: "broken cursor", path: "/transactions?cursor=abc", status: http.StatusBadRequest,
			expected: []string{`id="error-cursor"`},
		},
		{
			name: "malformed id in the jump box", path: "/transactions?id=12345", status: http.StatusBadRequest,
			expected: []string{`id="error-id"`, "This is not a transaction id", `value="12345"`},
		},
		{
			name: "unknown id in the jump box", path: inSpanish("/transactions?id=" + uuid.NewString()), status: http.StatusNotFound,
			expected: []string{`id="error-id"`, "Ninguna transacción tiene este id."},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkPage(t, env, tc)
		})
	}

	t.Run("jump box opens the detail", func(t *testing.T) {
		r := env.getWithoutRedirect(t, "/transactions?id=+"+strings.ToUpper(failed)+"+")
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/transactions/"+failed {
			t.Errorf("jump to %s: status %d, Location %q; want 303 to its detail", failed, r.status, r.header.Get("Location"))
		}
	})
}

// Links of the transaction list: to a transaction, and to the next page.
var (
	transactionLink = regexp.MustCompile(`<a href="/transactions/([0-9a-f-]{36})">`)
	nextPageLink    = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
)

func TestTransactionsPagePaginates(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	var sent []string
	for i := range 3 {
		sent = append(sent, env.sendSucceeded(t, "Athena", i))
	}

	var listed []string
	path := "/transactions?ehr=Athena&limit=2"
	for page := 0; page < 3 && path != ""; page++ {
		r := checkPage(t, env, pageCase{name: "page " + path, path: path, status: http.StatusOK})
		for _, match := range transactionLink.FindAllStringSubmatch(r.raw, -1) {
			listed = append(listed, match[1])
		}
		if page > 0 && !strings.Contains(r.raw, "First page") {
			t.Errorf("page %d has no link to the first page", page+1)
		}
		path = ""
		if match := nextPageLink.FindStringSubmatch(r.raw); match != nil {
			path = strings.ReplaceAll(match[1], "&amp;", "&")
			if !strings.Contains(path, "ehr=Athena") || !strings.Contains(path, "limit=2") {
				t.Errorf("next page link %q drops the filters", path)
			}
		}
	}

	want := []string{sent[2], sent[1], sent[0]}
	if strings.Join(listed, ",") != strings.Join(want, ",") {
		t.Errorf("pages listed %v, want %v (newest first, each once)", listed, want)
	}
}

func TestTransactionDetailPage(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	failed := env.sendPartiallyFailed(t)
	succeeded := env.sendSucceeded(t, "Athena", 1)
	retryForm := `action="/transactions/` + failed + `/retry"`

	cases := []pageCase{
		{
			name: "partially failed in English", path: "/transactions/" + failed, status: http.StatusOK,
			expected: []string{
				failed, "partially failed", "Mapping version", "EHR patient id", "<code>1000</code>", "Attempts",
				"Last error", "family_history", "ehr_http_status", "422", "identifies the patient",
				"patient_demographics", "insurance_info", retryForm, `name="_csrf"`, "Retry",
			},
			forbidden: append([]string{`hx-trigger="every 2s"`}, patientDataInFullSample...),
		},
		{
			name: "partially failed in Spanish", path: inSpanish("/transactions/" + failed), status: http.StatusOK,
			expected:  []string{"fallida en parte", "Versión del mapeo", "Id del paciente en el EHR", "Reintentar", "fallido", "completado"},
			forbidden: patientDataInFullSample,
		},
		{
			name: "succeeded has no retry", path: "/transactions/" + succeeded, status: http.StatusOK,
			expected:  []string{succeeded, "succeeded"},
			forbidden: []string{"/retry", "Test1", "t1@example.com"},
		},
		{
			name: "refreshing region alone", path: "/transactions/" + failed + "/live", status: http.StatusOK,
			expected:  []string{`<div id="transaction-live">`, "family_history"},
			forbidden: []string{"<html"},
		},
		{
			name: "unknown id", path: "/transactions/" + uuid.NewString(), status: http.StatusNotFound,
			expected: []string{"No transaction has the id"},
		},
		{
			name: "malformed id in Spanish", path: inSpanish("/transactions/nope"), status: http.StatusNotFound,
			expected: []string{`<html lang="es">`, "Ninguna transacción tiene el id nope"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkPage(t, env, tc)
		})
	}
}

func TestTransactionRetryFromPage(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	failed := env.sendPartiallyFailed(t)
	succeeded := env.sendSucceeded(t, "Athena", 1)

	r := env.postForm(t, "/transactions/"+failed+"/retry", url.Values{})
	location := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(location, "/transactions/"+failed+"?retried=") {
		t.Fatalf("retry: status %d, Location %q; want 303 to the detail with the new job", r.status, location)
	}
	entries := env.auditEntries(t, "transaction.retry")
	if len(entries) != 1 || entries[0].Target != failed {
		t.Fatalf("audit log has %d transaction.retry entries (%+v), want one for %s", len(entries), entries, failed)
	}
	if !strings.Contains(string(entries[0].Details), `"jobId"`) {
		t.Errorf("audit details %s do not name the job", entries[0].Details)
	}

	checkPage(t, env, pageCase{
		name: "detail after retry", path: location, status: http.StatusOK,
		expected: []string{"Retry queued as job " + strings.TrimPrefix(location, "/transactions/"+failed+"?retried="), "queued",
			`hx-get="/transactions/` + failed + `/live?retried=`, `hx-trigger="every 2s"`},
		forbidden: []string{`action="/transactions/` + failed + `/retry"`},
	})

	t.Run("second retry is rejected", func(t *testing.T) {
		r := env.postForm(t, inSpanish("/transactions/"+failed+"/retry"), url.Values{})
		if r.status != http.StatusConflict {
			t.Errorf("second retry: status %d, want 409", r.status)
		}
		if !strings.Contains(r.raw, "solo se pueden reintentar") {
			t.Errorf("second retry page does not explain the rejection in Spanish")
		}
	})
	t.Run("succeeded transaction is rejected", func(t *testing.T) {
		r := env.postForm(t, "/transactions/"+succeeded+"/retry", url.Values{})
		if r.status != http.StatusConflict || !strings.Contains(r.raw, "only failed, partially failed or dead transactions can be retried") {
			t.Errorf("retry of a succeeded transaction: status %d, want 409 with the reason", r.status)
		}
	})
	t.Run("no CSRF token", func(t *testing.T) {
		r := env.do(t, http.MethodPost, "/transactions/"+failed+"/retry", "application/x-www-form-urlencoded", "", nil)
		if r.status != http.StatusForbidden {
			t.Errorf("retry without the CSRF token: status %d, want 403", r.status)
		}
	})
	t.Run("unknown transaction", func(t *testing.T) {
		r := env.postForm(t, "/transactions/"+uuid.NewString()+"/retry", url.Values{})
		if r.status != http.StatusNotFound {
			t.Errorf("retry of an unknown transaction: status %d, want 404", r.status)
		}
	})
	if n := len(env.auditEntries(t, "transaction.retry")); n != 1 {
		t.Errorf("audit log has %d transaction.retry entries after rejected retries, want 1", n)
	}
	txn, err := env.app.Store.FindTransaction(context.Background(), uuid.MustParse(failed))
	if err != nil || txn.Status != "queued" {
		t.Errorf("transaction after retry: status %q (%v), want queued", txn.Status, err)
	}
}
