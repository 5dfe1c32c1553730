package app_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"ehrbridge/app/store"
)

// mixedCSV has two valid patients around one with errors.
const mixedCSV = `firstName,lastName,age,gender,contact.email,contact.phone,allergies
Rosa,Quintero,44,female,rosa.q@example.org,555-010-4411,Penicillin; Latex
Tomasz,Wilk,200,male,,555-010-7720,
Mei,Arakawa,31,f,mei.a@example.net,555-010-9034,
`

// semicolonCSV is written as spreadsheets in Spanish locales write CSV:
// columns separated by ";" and list items by "|".
const semicolonCSV = `firstName;lastName;age;gender;contact.email;contact.phone;allergies
Lucía;Serrano;52;female;lucia.s@example.org;555-010-2231;Penicilina | Látex
Joaquín;Prieto;300;male;joaquin.p@example.org;555-010-8812;
`

// unknownColumnCSV has two columns that name no patient field; the second
// row leaves them empty.
const unknownColumnCSV = `firstName,lastName,age,gender,contact.email,contact.phone,ssn,contact.fax
Rosa,Quintero,44,female,rosa.q@example.org,555-010-4411,000-00-0000,
Mei,Arakawa,31,female,mei.a@example.net,555-010-9034,,
Tomasz,Wilk,40,male,,555-010-7720,,555-010-0000
`

// invalidOnlyCSV has one patient, without an email.
const invalidOnlyCSV = `firstName,lastName,age,gender,contact.phone
Tomasz,Wilk,40,male,555-010-7720
`

var (
	payloadPattern     = regexp.MustCompile(`name="payload" value="([^"]*)"`)
	transactionPattern = regexp.MustCompile(`href="/transactions/([0-9a-f-]{36})"`)
	progressPattern    = regexp.MustCompile(`hx-get="(/bulk/progress\?[^"]+)"`)
)

// countTransactions counts every stored transaction.
func countTransactions(t *testing.T, env *testEnv) int {
	t.Helper()
	rows, _, err := env.app.Store.ListTransactions(context.Background(), store.TransactionFilter{Limit: 500})
	if err != nil {
		t.Fatalf("listing transactions: %v", err)
	}

	return len(rows)
}

func TestBulkPagePreview(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	pageClient := newSendPageClient(t, env)

	jsonObject := `{"patients": [` + strings.Join([]string{
		`{"firstName": "Rosa", "lastName": "Quintero", "age": 44, "gender": "female", "contact": {"email": "rosa.q@example.org", "phone": "555-010-4411"}}`,
		`{"firstName": "Ana", "lastName": "Ruiz", "age": 5, "gender": "female", "contact": {"email": "ana@example.org", "phone": "555-010-1212"}, "ssn": "000"}`,
	}, ",") + `]}`
	jsonList := `[{"firstName": "Rosa", "lastName": "Quintero", "age": 44, "gender": "female", "contact": {"email": "rosa.q@example.org", "phone": "555-010-4411"}}]`

	tests := []struct {
		name      string
		path      string
		filename  string
		content   string
		status    int
		wanted    []string
		forbidden []string
	}{
		{"mixed CSV", "/bulk/preview", "patients.csv", mixedCSV, http.StatusOK, []string{
			"Rows: 3. Valid: 2. With errors: 1.", "<th scope=\"row\">2</th>",
			"<li>Age must be between 0 and 150</li>", "<li>Email is required</li>",
			`name="payload"`, "Send the valid patients (2) to Athena", "Rows with errors are not sent.",
		}, []string{"Rosa", "Quintero", "Wilk", "rosa.q@example.org", "555-010-7720", "contact.email is required", `id="bulk-header-errors"`}},
		{"mixed CSV in Spanish", "/bulk/preview?lang=es", "patients.csv", mixedCSV, http.StatusOK, []string{
			"Filas: 3. Válidas: 2. Con errores: 1.", "<li>El campo «Correo electrónico» es obligatorio</li>", "Enviar los pacientes válidos (2) a Athena",
		}, []string{"Tomasz"}},
		{"JSON object with an unknown field", "/bulk/preview", "patients.json", jsonObject, http.StatusOK,
			[]string{"Rows: 2. Valid: 1. With errors: 1.", "<li>ssn is not a known field</li>"}, []string{"Ruiz"}},
		{"JSON list", "/bulk/preview", "patients.json", jsonList, http.StatusOK, []string{"Rows: 1. Valid: 1. With errors: 0."}, nil},
		{"only invalid rows", "/bulk/preview", "patients.csv", invalidOnlyCSV, http.StatusOK,
			[]string{"No row is valid", "Email is required"}, []string{`name="payload"`}},
		{"semicolon CSV with | between list items", "/bulk/preview", "patients.csv", semicolonCSV, http.StatusOK,
			[]string{"Rows: 2. Valid: 1. With errors: 1.", "<li>Age must be between 0 and 150</li>"}, []string{"is not a known field"}},
		{"tab-separated CSV", "/bulk/preview", "patients.csv", strings.ReplaceAll(mixedCSV, ",", "\t"), http.StatusOK,
			[]string{"Rows: 3. Valid: 2. With errors: 1."}, []string{"is not a known field"}},
		{"unknown columns reported once above the table", "/bulk/preview", "patients.csv", unknownColumnCSV, http.StatusOK, []string{
			"Rows: 3. Valid: 1. With errors: 2.", `id="bulk-header-errors"`, "<li>Column ssn is not a known field</li>",
			"<li>Column contact.fax is not a known field</li>", "Has a value in a column named in the header errors above.",
		}, nil},
		{"unknown columns in Spanish", "/bulk/preview?lang=es", "patients.csv", unknownColumnCSV, http.StatusOK,
			[]string{"<li>La columna ssn no es un campo conocido</li>", "Tiene un valor en una columna indicada"}, nil},
		{"broken CSV", "/bulk/preview", "patients.csv", "firstName,lastName\n\"Rosa,Quintero\n", http.StatusUnprocessableEntity,
			[]string{`<p id="bulk-file-error" class="error-text">The CSV file cannot be read at line 2`, `aria-invalid="true"`}, []string{"Rows:"}},
		{"broken JSON in Spanish", "/bulk/preview?lang=es", "patients.json", `{"patients": [`, http.StatusUnprocessableEntity,
			[]string{"El campo «Archivo de pacientes» no es JSON válido"}, nil},
		{"no file", "/bulk/preview", "", "", http.StatusUnprocessableEntity,
			[]string{`<a href="#bulk-file">Patient file is required</a>`}, nil},
		{"header without rows", "/bulk/preview", "patients.csv", "firstName,lastName\n", http.StatusUnprocessableEntity,
			[]string{"Patient list is required"}, nil},
	}
	for _, tt := range tests {
		r := pageClient.postFile(t, tt.path, map[string]string{"ehrName": "Athena"}, tt.filename, tt.content, nil)
		if r.status != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, r.status, tt.status)
		}
		checkPageText(t, tt.name, r, tt.wanted, tt.forbidden)
	}

	unknown := pageClient.postFile(t, "/bulk/preview", map[string]string{"ehrName": "Nope"}, "patients.csv", mixedCSV, nil)
	checkPageText(t, "unknown EHR", unknown, []string{`id="bulk-ehr-error"`, "No EHR named Nope is configured."}, nil)

	viaHTMX := pageClient.postFile(t, "/bulk/preview", map[string]string{"ehrName": "Athena"}, "patients.csv", mixedCSV, map[string]string{"HX-Request": "true"})
	checkPageText(t, "mixed CSV through htmx", viaHTMX, []string{"Rows: 3.", `id="bulk-form"`, `hx-swap-oob="true"`}, []string{"<html"})

	if n := countTransactions(t, env); n != 0 {
		t.Errorf("previews stored %d transactions, want none", n)
	}
}

func TestBulkPageSubmitAndProgress(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	pageClient := newSendPageClient(t, env)

	preview := pageClient.postFile(t, "/bulk/preview", map[string]string{"ehrName": "Athena"}, "patients.csv", mixedCSV, nil)
	match := payloadPattern.FindStringSubmatch(preview.raw)
	if match == nil {
		t.Fatalf("preview has no payload: %s", preview.raw)
	}

	form := map[string][]string{"ehrName": {"Athena"}, "payload": {match[1]}}
	submitted := pageClient.postForm(t, "/bulk/submit", form, nil)
	if submitted.status != http.StatusOK {
		t.Fatalf("submit: status %d, want 200: %s", submitted.status, submitted.raw)
	}
	checkPageText(t, "submit", submitted, []string{
		"Queued for Athena: 2. Rejected: 1.", `hx-trigger="every 2s"`, "<li>Email is required</li>",
		`class="badge status-queued">queued</span>`,
	}, []string{"Rosa", "Wilk", "patients[1]", "already sent"})
	ids := transactionPattern.FindAllStringSubmatch(submitted.raw, -1)
	if len(ids) != 2 {
		t.Fatalf("submit lists %d transactions, want 2", len(ids))
	}
	if n := countTransactions(t, env); n != 2 {
		t.Errorf("submit stored %d transactions, want 2", n)
	}
	again := pageClient.postForm(t, "/bulk/submit", form, nil)
	checkPageText(t, "second submit of the same file", again, []string{"Queued for Athena: 2.", ids[0][1], ids[1][1]}, nil)
	if n := countTransactions(t, env); n != 2 {
		t.Errorf("second submit of the same file left %d transactions, want 2", n)
	}

	// The same file checked again, with Windows line endings, and sent
	// again returns the first send.
	crlf := strings.ReplaceAll(mixedCSV, "\n", "\r\n")
	rechecked := pageClient.postFile(t, "/bulk/preview", map[string]string{"ehrName": "Athena"}, "patients.csv", crlf, nil)
	recheckedPayload := payloadPattern.FindStringSubmatch(rechecked.raw)
	if recheckedPayload == nil {
		t.Fatalf("second check has no payload: %s", rechecked.raw)
	}
	resent := pageClient.postForm(t, "/bulk/submit", map[string][]string{"ehrName": {"Athena"}, "payload": {recheckedPayload[1]}}, nil)
	checkPageText(t, "send of the same file checked again", resent, []string{
		"These patients were already sent; showing the first send.", ids[0][1], ids[1][1],
	}, nil)
	if n := countTransactions(t, env); n != 2 {
		t.Errorf("send of the same file checked again left %d transactions, want 2", n)
	}
	otherEHR := pageClient.postForm(t, "/bulk/submit", map[string][]string{"ehrName": {"Allscripts"}, "payload": {match[1]}}, nil)
	checkPageText(t, "same file to another EHR", otherEHR, []string{"Queued for Allscripts: 2."}, []string{"already sent", ids[0][1]})

	progressPath := progressPattern.FindStringSubmatch(submitted.raw)
	if progressPath == nil {
		t.Fatalf("submit answer has no progress request")
	}
	path := strings.ReplaceAll(progressPath[1], "&amp;", "&")
	running := pageClient.get(t, path)
	checkPageText(t, "progress while queued", running, []string{`hx-trigger="every 2s"`, "<dd>2</dd>"}, []string{"<html", "Every transaction has finished."})

	setStatus := func(index int, status string) {
		t.Helper()
		if err := env.app.Store.SetTransactionStatus(context.Background(), uuid.MustParse(ids[index][1]), status, ""); err != nil {
			t.Fatalf("setting status: %v", err)
		}
	}
	setStatus(0, "processing")
	setStatus(1, "succeeded")
	processing := pageClient.get(t, path)
	checkPageText(t, "progress while one is processing", processing, []string{`hx-trigger="every 2s"`}, []string{"Every transaction has finished."})

	setStatus(0, "dead")
	done := pageClient.get(t, path)
	checkPageText(t, "progress when final", done, []string{
		"Every transaction has finished.", `class="status-dead"`,
		`<span id="bulk-status-` + ids[0][1] + `" class="badge status-dead" hx-swap-oob="true">dead</span>`,
		`<span id="bulk-status-` + ids[1][1] + `" class="badge status-succeeded" hx-swap-oob="true">succeeded</span>`,
	}, []string{"hx-trigger", ">queued</span>"})

	bad := pageClient.get(t, "/bulk/progress?ids=not-an-id")
	if bad.status != http.StatusBadRequest {
		t.Errorf("progress of a malformed id: status %d, want 400", bad.status)
	}
}

func TestBulkPageSubmitChecksThePayloadAgain(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	pageClient := newSendPageClient(t, env)

	tests := []struct {
		name    string
		payload string
		status  int
		wanted  []string
	}{
		{"payload changed to an invalid row", base64.RawURLEncoding.EncodeToString([]byte(invalidOnlyCSV)), http.StatusOK,
			[]string{"Queued for Athena: 0. Rejected: 1.", "<li>Email is required</li>"}},
		{"payload that is not base64", "%%%", http.StatusUnprocessableEntity, []string{"Patient file is required"}},
		{"payload of a broken CSV", base64.RawURLEncoding.EncodeToString([]byte("a,b\n\"x\n")), http.StatusUnprocessableEntity,
			[]string{"The CSV file cannot be read at line 2"}},
	}
	for _, tt := range tests {
		r := pageClient.postForm(t, "/bulk/submit", map[string][]string{"ehrName": {"Athena"}, "payload": {tt.payload}}, nil)
		if r.status != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, r.status, tt.status)
		}
		checkPageText(t, tt.name, r, tt.wanted, nil)
	}
	if n := countTransactions(t, env); n != 0 {
		t.Errorf("invalid payloads stored %d transactions, want none", n)
	}
}

func TestBulkPageProgressEndsWhenWorkersDeliver(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)
	pageClient := newSendPageClient(t, env)
	env.startWorkers(t)

	content := base64.RawURLEncoding.EncodeToString([]byte(mixedCSV))
	submitted := pageClient.postForm(t, "/bulk/submit", map[string][]string{"ehrName": {"Athena"}, "payload": {content}}, nil)
	progressPath := progressPattern.FindStringSubmatch(submitted.raw)
	if progressPath == nil {
		// The workers may already have finished both sends.
		checkPageText(t, "submit", submitted, []string{"Every transaction has finished."}, nil)
		return
	}
	path := strings.ReplaceAll(progressPath[1], "&amp;", "&")

	deadline := time.Now().Add(20 * time.Second)
	for {
		r := pageClient.get(t, path)
		if !strings.Contains(r.raw, "hx-trigger") {
			checkPageText(t, "final progress", r, []string{"Every transaction has finished."}, nil)
			if !regexp.MustCompile(`class="status-succeeded">succeeded</dt>\s*<dd>2</dd>`).MatchString(r.raw) {
				t.Errorf("final progress does not count 2 succeeded: %s", r.raw)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("progress still polling after 20 s: %s", r.raw)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
