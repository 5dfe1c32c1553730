package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// athenaEndpoints are the endpoints of Athena's default mapping.
var athenaEndpoints = []string{"patient_demographics", "medical_history", "social_history", "family_history", "insurance_info"}

func TestSendPageGetPages(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	pageClient := newSendPageClient(t, env)

	tests := []struct {
		name      string
		path      string
		status    int
		wanted    []string
		forbidden []string
	}{
		{"send form in English", "/send?ehrName=Athena", http.StatusOK, []string{
			"<h1>Send patient data</h1>", `name="firstName"`, `name="contact.email"`, `type="date"`,
			`<option value="female">Female</option>`, `<option value="A-">A-</option>`,
			`id="allergies-2"`, `id="medications-2"`, `id="symptoms-2"`, `hx-get="/send/rows/allergies?lang=en"`, `action="/send?lang=en"`,
			`<option value="Athena" selected>`, `value="patient_demographics"`, `value="insurance_info"`,
			`name="mode" value="sync" checked`, `name="_csrf"`, `novalidate`,
			`type="submit" name="op" value="add:allergies" formnovalidate class="secondary" hx-get="/send/rows/allergies?lang=en"`,
			`type="submit" name="op" value="remove:symptoms:2" formnovalidate`,
		}, []string{`id="allergies-3"`, "checked value=\"patient_demographics\"", `type="button"`}},
		{"CSV help names the list separators", "/bulk", http.StatusOK, []string{
			`Separate the items of allergies, medications and symptoms with &#34;;&#34;, or with &#34;|&#34; when the columns are separated by semicolons.`,
		}, nil},
		{"send form in Spanish", "/send?lang=es", http.StatusOK, []string{
			"<h1>Enviar datos del paciente</h1>", `<option value="female">Femenino</option>`,
			"Añadir otra alergia", "Grupo sanguíneo", "Cómo enviar", `action="/send?lang=es"`, `hx-post="/send?lang=es"`,
		}, []string{"Add another allergy"}},
		{"first EHR chosen by default", "/send", http.StatusOK, []string{`<option value="Allscripts" selected>`}, nil},
		{"bulk page in English", "/bulk", http.StatusOK, []string{
			"<h1>Bulk send</h1>", `type="file"`, `enctype="multipart/form-data"`, `name="ehrName"`, "Check the file",
		}, nil},
		{"bulk page in Spanish", "/bulk?lang=es", http.StatusOK, []string{"<h1>Envío masivo</h1>", "Revisar el archivo", `action="/bulk/preview?lang=es"`}, nil},
		{"new list row", "/send/rows/medications", http.StatusOK, []string{`name="medications"`, "autofocus", `id="medications-new-`}, []string{"<html"}},
		{"new row of an unknown list", "/send/rows/ssn", http.StatusNotFound, nil, nil},
		{"endpoints of Athena", "/send/endpoints?ehrName=athena", http.StatusOK, []string{
			`value="medical_history"`, `value="family_history"`, "identifies the patient",
		}, []string{"<html"}},
		{"endpoints of an unknown EHR in Spanish", "/send/endpoints?ehrName=Nope&lang=es", http.StatusOK, []string{"Nope no tiene mapeo"}, []string{"<input"}},
	}
	for _, tt := range tests {
		r := pageClient.get(t, tt.path)
		if r.status != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, r.status, tt.status)
		}
		checkPageText(t, tt.name, r, tt.wanted, tt.forbidden)
	}
}

func TestSendPageSubmit(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	pageClient := newSendPageClient(t, env)
	htmx := map[string]string{"HX-Request": "true"}

	minimalAsync := sendFormValues(t, "minimal-es.json")
	minimalAsync.Set("mode", "async")
	wordAge := sendFormValues(t, "minimal-es.json")
	wordAge.Set("age", "ocho")
	onlyHistory := sendFormValues(t, "full-en.json")
	onlyHistory.Set("targetEndpoints", "medical_history")
	unknownEHR := sendFormValues(t, "full-en.json")
	unknownEHR.Set("ehrName", "Nope")
	blankRows := sendFormValues(t, "minimal-es.json")
	blankRows["allergies"] = []string{"", "Latex", "  "}
	addRow := sendFormValues(t, "full-en.json")
	addRow["allergies"] = []string{"Latex", "", ""}
	addRow.Set("op", "add:allergies")
	removeRow := sendFormValues(t, "full-en.json")
	removeRow["allergies"] = []string{"Penicillin", "Latex", "Dust"}
	removeRow.Set("op", "remove:allergies:1")

	tests := []struct {
		name       string
		path       string
		form       url.Values
		headers    map[string]string
		status     int
		wanted     []string
		forbidden  []string
		retargeted bool
	}{
		{"full patient to Athena", "/send", sendFormValues(t, "full-en.json"), nil, http.StatusOK,
			append([]string{
				"Result:", `<span class="status-succeeded">succeeded</span>`, `<dd class="status-succeeded">succeeded</dd>`,
				`href="/transactions/`, "<dd>200</dd>", "<dt>Duration</dt>",
			}, athenaEndpoints...),
			[]string{"error-text", `aria-invalid="true"`, "<table", "Succeeded"}, false},
		{"invalid patient in Spanish", "/send?lang=es", sendFormValues(t, "invalid-es.json"), nil, http.StatusUnprocessableEntity, []string{
			"Corrija estos campos y vuelva a enviar",
			`<a href="#firstName">El campo «Nombre» es obligatorio</a>`,
			`<p id="age-error" class="error-text">El campo «Edad» debe estar entre 0 y 150</p>`,
			`El campo «Correo electrónico» debe ser una dirección de correo electrónico válida`,
			`El campo «Teléfono» es obligatorio`,
			`El campo «Grupo sanguíneo» debe ser A+`,
			`aria-describedby="contact-email-error"`, `aria-invalid="true"`, `value="Ortega"`, `value="not-an-email"`,
		}, []string{"Result:", "is required"}, false},
		{"minimal patient through the queue in Spanish", "/send?lang=es", minimalAsync, nil, http.StatusOK, []string{
			`<span class="status-queued">en cola</span>`, "Seguir esta transacción", `href="/transactions/`,
		}, []string{"<table>"}, false},
		{"age in words", "/send", wordAge, nil, http.StatusUnprocessableEntity,
			[]string{`<p id="age-error" class="error-text">Age must be a whole number</p>`, `value="ocho"`}, nil, false},
		{"endpoint that needs the patient id", "/send", onlyHistory, nil, http.StatusUnprocessableEntity, []string{
			`<a href="#send-endpoints">Endpoints includes endpoints that need the EHR patient id`,
			`or fill in “EHR patient id”.</a>`, `value="medical_history" checked`,
		}, []string{"or send identifiers.ehrPatientId"}, false},
		{"endpoint that needs the patient id in Spanish", "/send?lang=es", onlyHistory, nil, http.StatusUnprocessableEntity,
			[]string{"o rellene «Id del paciente en el EHR»."}, []string{"envíe identifiers.ehrPatientId"}, false},
		{"add a row without JavaScript", "/send", addRow, nil, http.StatusOK,
			[]string{`id="allergies-0" name="allergies" type="text" value="Latex"`, `id="allergies-3"`, `value="Vasquez-Moore"`},
			[]string{"Result:", `id="allergies-4"`, "error-text"}, false},
		{"remove a row without JavaScript", "/send", removeRow, nil, http.StatusOK,
			[]string{`id="allergies-0" name="allergies" type="text" value="Penicillin"`, `id="allergies-1" name="allergies" type="text" value="Dust"`},
			[]string{"Result:", `value="Latex"`, "error-text"}, false},
		{"unknown EHR", "/send", unknownEHR, nil, http.StatusUnprocessableEntity,
			[]string{`<p id="ehrName-error" class="error-text">EHR must be one of: Allscripts, Athena</p>`}, nil, false},
		{"blank list rows are dropped", "/send", blankRows, nil, http.StatusOK,
			[]string{`id="allergies-0" name="allergies" type="text" value="Latex"`, `id="allergies-2"`}, nil, false},
		{"invalid patient through htmx", "/send", sendFormValues(t, "invalid-es.json"), htmx, http.StatusOK, []string{
			`id="send-form"`, `id="send-result" hx-swap-oob="true"`, `<a href="#firstName">First name is required</a>`,
		}, []string{"<html", "<h1>"}, true},
		{"valid patient through htmx", "/send", sendFormValues(t, "full-en.json"), htmx, http.StatusOK,
			append([]string{"Result:", `hx-swap-oob="true"`}, athenaEndpoints...), []string{"<html", "<h1>"}, false},
	}
	for _, tt := range tests {
		r := pageClient.postForm(t, tt.path, tt.form, tt.headers)
		if r.status != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, r.status, tt.status)
		}
		checkPageText(t, tt.name, r, tt.wanted, tt.forbidden)
		if got := r.header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", tt.name, got)
		}
		if got := r.header.Get("HX-Retarget") == "#send-form"; got != tt.retargeted {
			t.Errorf("%s: retargeted to the form %v, want %v", tt.name, got, tt.retargeted)
		}
	}

	if strings.Contains(env.logs.String(), "Vasquez-Moore") || strings.Contains(env.logs.String(), "Ortega") {
		t.Errorf("the log carries a patient name:\n%s", env.logs.String())
	}
}

func TestSendPageSubmitNeedsCSRFToken(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	pageClient := newSendPageClient(t, env)

	form := sendFormValues(t, "full-en.json")
	r := pageClient.do(t, http.MethodPost, "/send", "application/x-www-form-urlencoded", []byte(form.Encode()), nil)
	if r.status != http.StatusForbidden {
		t.Errorf("send without a CSRF token: status %d, want 403", r.status)
	}
	if strings.Contains(r.raw, "Result:") {
		t.Errorf("send without a CSRF token was made: %s", r.raw)
	}
}
