package app_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fuzzRequest is one seed of a request fuzz target: the Content-Type and
// Idempotency-Key headers (left out when empty) and the body.
type fuzzRequest struct {
	contentType    string
	idempotencyKey string
	body           string
}

const jsonContentType = "application/json"

// fuzzedRoute is a POST route of the JSON API and the statuses of its
// successful responses.
type fuzzedRoute struct {
	path    string
	success []int
}

func FuzzSendPatientDataRequest(f *testing.F) {
	route := fuzzedRoute{path: "/ehr/send-patient-data", success: []int{http.StatusOK, http.StatusMultiStatus}}
	fuzzRoute(f, newFuzzRouter(f), route, sendRequestSeeds(f))
}

func FuzzSendPatientDataAsyncRequest(f *testing.F) {
	route := fuzzedRoute{path: "/ehr/send-patient-data-async", success: []int{http.StatusAccepted}}
	fuzzRoute(f, newFuzzRouter(f), route, sendRequestSeeds(f))
}

func FuzzSendBulkRequest(f *testing.F) {
	// ehrName in the query is read for CSV bodies and ignored for JSON.
	route := fuzzedRoute{path: "/ehr/send-patient-data/bulk?ehrName=Athena", success: []int{http.StatusAccepted}}
	fuzzRoute(f, newFuzzRouter(f), route, bulkRequestSeeds(f))
}

func FuzzSaveMappingRequest(f *testing.F) {
	route := fuzzedRoute{path: "/ehr/save-mapping", success: []int{http.StatusCreated}}
	router := newFuzzRouter(f)
	fuzzRoute(f, router, route, append(saveMappingSeeds(), currentMappingSeeds(f, router)...))
}

// newFuzzRouter starts an app on its own database for one fuzz target and
// returns its router. Each fuzz worker process runs this once.
func newFuzzRouter(f *testing.F) http.Handler {
	return setupTB(f, nil).app.Router()
}

// fuzzRoute sends every fuzzed request through router in process and
// checks that the response is a success or a client error with a JSON
// error body, never a 5xx.
func fuzzRoute(f *testing.F, router http.Handler, route fuzzedRoute, seeds []fuzzRequest) {
	for _, seed := range seeds {
		f.Add(seed.contentType, seed.idempotencyKey, []byte(seed.body))
	}

	f.Fuzz(func(t *testing.T, contentType, idempotencyKey string, body []byte) {
		// A client cannot send a header value with a line break or other
		// control character, so such inputs test nothing real.
		if !isValidHeaderValue(contentType) || !isValidHeaderValue(idempotencyKey) {
			return
		}
		req := httptest.NewRequest(http.MethodPost, route.path, bytes.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if idempotencyKey != "" {
			req.Header.Set("Idempotency-Key", idempotencyKey)
		}

		recorder := httptest.NewRecorder()
		router.ServeHTTP(recorder, req)
		checkFuzzedResponse(t, route, recorder)
	})
}

func isValidHeaderValue(value string) bool {
	return !strings.ContainsFunc(value, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f })
}

// checkFuzzedResponse requires a success status of the route with a JSON
// body, or a 4xx with an error code and messages from the locale files.
func checkFuzzedResponse(t *testing.T, route fuzzedRoute, recorder *httptest.ResponseRecorder) {
	t.Helper()
	status, raw := recorder.Code, recorder.Body.Bytes()
	if status >= http.StatusInternalServerError {
		t.Fatalf("POST %s returned %d: %s", route.path, status, raw)
	}
	if status < http.StatusBadRequest {
		if !slices.Contains(route.success, status) {
			t.Fatalf("POST %s returned %d, want one of %v or a 4xx: %s", route.path, status, route.success, raw)
		}
		if !json.Valid(raw) {
			t.Fatalf("POST %s returned %d with a body that is not JSON: %s", route.path, status, raw)
		}
		return
	}

	var body struct {
		Error   string `json:"error"`
		Message string `json:"message"`
		Fields  []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"fields"`
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("POST %s returned %d with a body that is not a JSON object: %s", route.path, status, raw)
	}
	if body.Error == "" {
		t.Errorf("POST %s returned %d without an error code: %s", route.path, status, raw)
	}
	if body.Message == "" || body.Message == "error."+body.Error {
		t.Errorf("POST %s returned %d with error %q, which has no locale message: %s", route.path, status, body.Error, raw)
	}
	for _, field := range body.Fields {
		// The field path comes from the input, so only the rest of the
		// message is checked for fmt's marks of a wrong argument list.
		rest := strings.ReplaceAll(field.Message, field.Field, "")
		if field.Message == "" || strings.Contains(rest, "%!") {
			t.Errorf("POST %s: field %q has a broken message %q", route.path, field.Field, field.Message)
		}
	}
}

// sendRequestSample reads a send request body from testdata.
func sendRequestSample(tb testing.TB, name string) string {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatalf("reading sample %s: %v", name, err)
	}

	return string(raw)
}

// sendRequestSeeds are the send request samples and variants of them with
// wrong types, extreme values, other media types and idempotency keys.
func sendRequestSeeds(tb testing.TB) []fuzzRequest {
	tb.Helper()
	paths, err := filepath.Glob("testdata/*.json")
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no send request samples in testdata (err %v)", err)
	}
	var seeds []fuzzRequest
	for _, path := range paths {
		seeds = append(seeds, fuzzRequest{contentType: jsonContentType, body: sendRequestSample(tb, filepath.Base(path))})
	}

	full := sendRequestSample(tb, "full-en.json")
	withPatient := func(patient string) string {
		return `{"ehrName": "Athena", "language": "en", "patientData": ` + patient + `}`
	}
	minimalPatient := `{"firstName": "Ana", "lastName": "Ruiz", "age": 30, "gender": "female",
		"contact": {"email": "ana@example.com", "phone": "555-010-1111"}}`
	withTargets := func(targets string) string {
		return `{"ehrName": "Athena", "targetEndpoints": ` + targets + `, "patientData": ` + minimalPatient + `}`
	}
	return append(seeds,
		fuzzRequest{contentType: jsonContentType, idempotencyKey: "fuzz-key-1", body: full},
		fuzzRequest{contentType: jsonContentType, idempotencyKey: strings.Repeat("k", 300), body: full},
		fuzzRequest{contentType: jsonContentType, idempotencyKey: "fuzz-\xa3", body: full},
		fuzzRequest{contentType: "application/json; charset=utf-8", body: strings.Replace(full, `"Athena"`, `"Allscripts"`, 1)},
		fuzzRequest{contentType: jsonContentType, body: strings.Replace(full, `"Athena"`, `"Nowhere"`, 1)},
		fuzzRequest{contentType: jsonContentType, body: withTargets(`["patient_demographics", "medical_history"]`)},
		fuzzRequest{contentType: jsonContentType, body: withTargets(`["medical_history"]`)},
		fuzzRequest{contentType: jsonContentType, body: withTargets(`["nowhere", "nowhere"]`)},
		fuzzRequest{contentType: jsonContentType, body: withTargets(`"patient_demographics"`)},
		fuzzRequest{contentType: jsonContentType, body: withPatient(`{"firstName": "Ana", "age": 1e400, "answers": {"n": 12345678901234567890}}`)},
		fuzzRequest{contentType: jsonContentType, body: withPatient(`{"identifiers": {"ehrPatientId": "../x"}, "firstName": "Ana", "lastName": "Ruiz",
			"age": 30, "gender": "female", "contact": {"email": "ana@example.com", "phone": "555-010-1111"}}`)},
		fuzzRequest{contentType: jsonContentType, body: withPatient(`null`)},
		fuzzRequest{contentType: jsonContentType, body: withPatient(`"Ana Ruiz"`)},
		fuzzRequest{contentType: jsonContentType, body: withPatient(strings.Repeat("[", 20000) + strings.Repeat("]", 20000))},
		fuzzRequest{contentType: jsonContentType, body: "{\"ehrName\": \"Athena\xff\", \"patientData\": {\"firstName\": \"\xc3\x28\"}}"},
		fuzzRequest{contentType: jsonContentType, body: `{"ehrName": 5, "language": ["es"], "patientData": [], "extra": null}`},
		fuzzRequest{contentType: jsonContentType, body: `{"ehrName": "Athena", "language": "zz-Latn-XX-x-private"}`},
		fuzzRequest{contentType: jsonContentType, body: `{"": 1}`},
		fuzzRequest{contentType: jsonContentType, body: `[]`},
		fuzzRequest{contentType: jsonContentType, body: `null`},
		fuzzRequest{contentType: jsonContentType, body: `{`},
		fuzzRequest{contentType: jsonContentType, body: ``},
		fuzzRequest{contentType: "text/plain", body: full},
		fuzzRequest{contentType: "application/json; charset", body: full},
		fuzzRequest{contentType: "", body: full},
	)
}

// bulkRequestSeeds are JSON, CSV and multipart bulk requests, valid and
// broken.
func bulkRequestSeeds(tb testing.TB) []fuzzRequest {
	tb.Helper()
	validPatient := `{"firstName": "Ana", "lastName": "Ruiz", "age": 30, "gender": "female",
		"contact": {"email": "ana@example.com", "phone": "555-010-1111"}}`
	csvFile := "firstName,lastName,age,gender,contact.email,contact.phone,allergies,answers.smoking\n" +
		"Ana,Ruiz,30,female,ana@example.com,555-010-1111,Penicillin; Latex,never\n" +
		"Bad,Row,old,female,bad,555-010-1111,,\n"
	contentType, form := multipartCSV(tb, csvFile)

	return []fuzzRequest{
		{contentType: jsonContentType, body: `{"ehrName": "Athena", "language": "es", "patients": [` + validPatient + `, {"firstName": ""}]}`},
		{contentType: jsonContentType, idempotencyKey: "fuzz-bulk-1", body: `{"ehrName": "Allscripts", "patients": [` + validPatient + `]}`},
		{contentType: jsonContentType, idempotencyKey: "fuzz-bulk-\xa3", body: `{"ehrName": "Athena", "patients": [` + validPatient + `]}`},
		{contentType: jsonContentType, body: `{"ehrName": "Athena", "targetEndpoints": ["medical_history"], "patients": [` + validPatient + `]}`},
		{contentType: jsonContentType, body: `{"ehrName": "Athena", "patients": [null, 1, "x", [], {}]}`},
		{contentType: jsonContentType, body: `{"ehrName": "Athena", "patients": {}}`},
		{contentType: jsonContentType, body: `{"ehrName": "Athena", "patients": []}`},
		{contentType: "text/csv", body: csvFile},
		{contentType: "text/csv; charset=utf-8", idempotencyKey: "fuzz-bulk-csv", body: "\ufeff" + csvFile},
		{contentType: "text/csv", body: "firstName;lastName;age;gender;allergies\nAna;Ruiz;30;female;Penicillin|Latex\n"},
		{contentType: "text/csv", body: "firstName\tlastName\tage\nAna\t\"Ruiz\t30\n"},
		{contentType: "text/csv", body: "firstName,firstName\nA,B\n"},
		{contentType: "text/csv", body: "firstName,lastName\nA,B,C\n"},
		{contentType: "text/csv", body: "\"firstName\nA"},
		{contentType: "text/csv", body: ""},
		{contentType: contentType, body: form},
		{contentType: "multipart/form-data; boundary=missing", body: form},
		{contentType: "multipart/form-data", body: form},
		{contentType: "text/plain", body: csvFile},
	}
}

// multipartCSV returns a bulk upload form with the file and ehrName
// fields, and its Content-Type.
func multipartCSV(tb testing.TB, file string) (contentType, body string) {
	tb.Helper()
	var form bytes.Buffer
	writer := multipart.NewWriter(&form)
	if err := writer.WriteField("ehrName", "Athena"); err != nil {
		tb.Fatalf("writing form field: %v", err)
	}
	part, err := writer.CreateFormFile("file", "patients.csv")
	if err != nil {
		tb.Fatalf("creating form file: %v", err)
	}
	if _, err := part.Write([]byte(file)); err != nil {
		tb.Fatalf("writing form file: %v", err)
	}
	if err := writer.Close(); err != nil {
		tb.Fatalf("closing form: %v", err)
	}

	return writer.FormDataContentType(), form.String()
}

// saveMappingSeeds are save-mapping requests in the full and the simple
// form, valid and broken.
func saveMappingSeeds() []fuzzRequest {
	withConfig := func(ehrName, config string) fuzzRequest {
		return fuzzRequest{contentType: jsonContentType, body: `{"ehrName": "` + ehrName + `", "mappingConfig": ` + config + `}`}
	}
	fullForm := `{"endpoints": [{"name": "patient_demographics", "path": "/v1/{practiceId}/patients",
		"identifiesPatient": true, "patientIdPath": "0.patientid", "encoding": "form",
		"fields": [{"source": "firstName", "target": "PATIENT_FIRST_NAME"},
			{"source": "name", "target": "FULL_NAME", "transform": {"type": "template", "template": "{lastName}, {firstName}"}},
			{"source": "dob", "target": "DOB", "transform": {"type": "dateFormat", "format": "MM/DD/YYYY"}},
			{"source": "gender", "target": "SEX", "transform": {"type": "valueMap", "values": {"female": "F", "male": "M"}}},
			{"source": "allergies", "target": "ALLERGIES", "transform": {"type": "join", "separator": "; "}}]}]}`

	return []fuzzRequest{
		withConfig("Athena", fullForm),
		withConfig("Athena", `{"patient": {"firstName": "PATIENT_FIRST_NAME", "answers.smoking": "SMOKER"}}`),
		withConfig("Allscripts", `{"patient": {"p_lastName": "LAST"}, "medical_history": {"p_allergies": "ALLERGIES_PAT"}}`),
		withConfig("Athena", `{"nowhere": {"firstName": "X"}}`),
		withConfig("Athena", `{"endpoints": [{"name": "Bad Name", "method": "GET", "path": "//evil/..", "fields": [{"source": "x", "target": ""}]}]}`),
		withConfig("Athena", `{"endpoints": [`+strings.Repeat("[", 100)+strings.Repeat("]", 100)+`]}`),
		withConfig("Athena", `{}`),
		withConfig("Athena", `[]`),
		withConfig("Nowhere", fullForm),
		{contentType: jsonContentType, body: `{"ehrName": "Athena", "comment": "` + strings.Repeat("c", 600) + `", "mappingConfig": ` + fullForm + `}`},
		{contentType: jsonContentType, body: `{"ehrName": "Athena", "language": "es", "mappingConfig": null, "extra": 1}`},
		{contentType: jsonContentType, body: `{"ehrName": ["Athena"], "mappingConfig": "x", "comment": 5}`},
		{contentType: "text/plain", body: `{"ehrName": "Athena"}`},
	}
}

// currentMappingSeeds returns a save-mapping request for each seeded EHR
// system with its current mapping config, read through the router, so the
// fuzzer starts from the default mappings as they are stored.
func currentMappingSeeds(tb testing.TB, router http.Handler) []fuzzRequest {
	tb.Helper()
	var seeds []fuzzRequest
	for _, ehrName := range []string{"Athena", "Allscripts"} {
		recorder := httptest.NewRecorder()
		router.ServeHTTP(recorder, httptest.NewRequest(http.MethodGet, "/ehr/mapping/"+ehrName, nil))
		var body struct {
			Config json.RawMessage `json:"mappingConfig"`
		}
		if recorder.Code != http.StatusOK || json.Unmarshal(recorder.Body.Bytes(), &body) != nil || body.Config == nil {
			tb.Fatalf("GET /ehr/mapping/%s returned %d: %s", ehrName, recorder.Code, recorder.Body.String())
		}
		seeds = append(seeds, fuzzRequest{
			contentType: jsonContentType,
			body:        `{"ehrName": "` + ehrName + `", "comment": "fuzz seed", "mappingConfig": ` + string(body.Config) + `}`,
		})
	}

	return seeds
}
