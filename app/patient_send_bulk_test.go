package app_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

func TestBulkMixedPatients(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)
	env.startWorkers(t)
	body := `{"ehrName":"athena","language":"es","patients":[
		{"firstName":"Ana","lastName":"Ruiz","age":30,"gender":"femenino","contact":{"email":"ana@example.com","phone":"555-010-1111"}},
		{"firstName":"","lastName":"Ruiz","age":300,"gender":"female","contact":{"email":"bad","phone":"555-010-1111"}},
		{"firstName":"Luis","lastName":"Mora","age":41,"gender":"male","contact":{"email":"luis@example.com","phone":"555-010-2222"},"ssn":"x"},
		{"firstName":"Eva","lastName":"Soto","age":25,"gender":"female","contact":{"email":"eva@example.com","phone":"555-010-3333"}}
	]}`

	r := env.postJSON(t, "/ehr/send-patient-data/bulk", body)
	if r.status != http.StatusAccepted {
		t.Fatalf("status %d, want 202: %s", r.status, r.raw)
	}
	if r.json["accepted"] != float64(2) || r.json["rejected"] != float64(2) {
		t.Errorf("accepted %v rejected %v, want 2 and 2", r.json["accepted"], r.json["rejected"])
	}
	results := r.json["results"].([]any)
	for i, wantAccepted := range []bool{true, false, false, true} {
		result := results[i].(map[string]any)
		if result["index"] != float64(i) {
			t.Errorf("results[%d] has index %v", i, result["index"])
		}
		if wantAccepted {
			if result["transactionId"] == nil || result["status"] != "queued" {
				t.Errorf("patient %d: %v, want a queued transaction", i, result)
				continue
			}
			env.waitForStatus(t, result["transactionId"].(string), "succeeded")
			continue
		}
		errs, _ := result["errors"].([]any)
		if len(errs) == 0 {
			t.Errorf("patient %d: %v, want field errors", i, result)
			continue
		}
		first := errs[0].(map[string]any)
		if !strings.HasPrefix(first["field"].(string), fmt.Sprintf("patients[%d].", i)) {
			t.Errorf("patient %d error field %v lacks its index", i, first["field"])
		}
	}
	if got := len(results[1].(map[string]any)["errors"].([]any)); got != 3 {
		t.Errorf("patient 1 has %d errors, want 3 (firstName, age and email)", got)
	}
}

func TestBulkRejectsBadRequests(t *testing.T) {
	t.Parallel()
	env := setup(t, withEnv(map[string]string{"BULK_MAX_PATIENTS": "3"}))
	one := `{"firstName":"Ana","lastName":"Ruiz","age":30,"gender":"female","contact":{"email":"ana@example.com","phone":"555-010-1111"}}`

	cases := []struct {
		name   string
		body   string
		status int
	}{
		{"no patients", `{"ehrName":"Athena","patients":[]}`, 400},
		{"patients not a list", `{"ehrName":"Athena","patients":{}}`, 400},
		{"too many", `{"ehrName":"Athena","patients":[` + strings.Repeat(one+",", 3) + one + `]}`, 400},
		{"unknown EHR", `{"ehrName":"Nowhere","patients":[` + one + `]}`, 404},
		{"all invalid", `{"ehrName":"Athena","patients":[{"firstName":"x"}]}`, 400},
		{"unknown key", `{"ehrName":"Athena","patients":[` + one + `],"mode":"fast"}`, 400},
	}
	for _, tc := range cases {
		r := env.postJSON(t, "/ehr/send-patient-data/bulk", tc.body)
		if r.status != tc.status {
			t.Errorf("%s: status %d, want %d: %s", tc.name, r.status, tc.status, r.raw)
		}
		if r.json["error"] == nil {
			t.Errorf("%s: answer has no error code: %s", tc.name, r.raw)
		}
	}
	assertRowCount(t, env, "SELECT count(*) FROM transactions", 0)
}

const bulkCSV = "firstName,lastName,age,gender,contact.email,contact.phone,allergies,answers.smoking\n" +
	"Ana,Ruiz,30,female,ana@example.com,555-010-1111,Penicillin; Latex,never\n" +
	"Bad,Row,old,female,bad,555-010-1111,,\n"

func TestBulkCSVUpload(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)
	env.startWorkers(t)

	var form bytes.Buffer
	writer := multipart.NewWriter(&form)
	_ = writer.WriteField("ehrName", "Athena")
	part, _ := writer.CreateFormFile("file", "patients.csv")
	_, _ = part.Write([]byte(bulkCSV))
	_ = writer.Close()

	r := env.do(t, http.MethodPost, "/ehr/send-patient-data/bulk", writer.FormDataContentType(), form.String(), nil)
	if r.status != http.StatusAccepted {
		t.Fatalf("multipart: status %d: %s", r.status, r.raw)
	}
	if r.json["accepted"] != float64(1) || r.json["rejected"] != float64(1) {
		t.Errorf("multipart: %s, want 1 accepted and 1 rejected", r.raw)
	}
	first := r.json["results"].([]any)[0].(map[string]any)
	detail := env.waitForStatus(t, first["transactionId"].(string), "succeeded")
	record, _ := env.app.Simulator.Patient("athena", detail.json["ehrPatientId"].(string))
	for _, call := range record.Calls {
		if call.Fields["ALLERGIES_PATIENT"] != "" && call.Fields["ALLERGIES_PATIENT"] != "Penicillin, Latex" {
			t.Errorf("allergies sent as %q, want the CSV list joined", call.Fields["ALLERGIES_PATIENT"])
		}
	}

	plain := env.do(t, http.MethodPost, "/ehr/send-patient-data/bulk?ehrName=Athena", "text/csv", bulkCSV, nil)
	if plain.status != http.StatusAccepted {
		t.Errorf("text/csv: status %d: %s", plain.status, plain.raw)
	}
	broken := env.do(t, http.MethodPost, "/ehr/send-patient-data/bulk?ehrName=Athena", "text/csv", "firstName,lastName\nA,B,C\n", nil)
	if broken.status != http.StatusBadRequest || broken.json["error"] != "invalid_csv" {
		t.Errorf("ragged CSV: %d %s, want 400 invalid_csv", broken.status, broken.raw)
	}
}

func TestBulkIdempotencyKey(t *testing.T) {
	t.Parallel()
	env := setup(t, fastQueue)
	headers := map[string]string{"Idempotency-Key": "batch-2026-12-04"}
	body := `{"ehrName":"Athena","patients":[
		{"firstName":"Ana","lastName":"Ruiz","age":30,"gender":"female","contact":{"email":"ana@example.com","phone":"555-010-1111"}},
		{"firstName":""},
		{"firstName":"Eva","lastName":"Soto","age":25,"gender":"female","contact":{"email":"eva@example.com","phone":"555-010-3333"}}]}`

	first := env.do(t, http.MethodPost, "/ehr/send-patient-data/bulk", "application/json", body, headers)
	second := env.do(t, http.MethodPost, "/ehr/send-patient-data/bulk", "application/json", body, headers)
	if first.status != http.StatusAccepted || second.status != http.StatusAccepted {
		t.Fatalf("statuses %d and %d, want 202 twice: %s", first.status, second.status, second.raw)
	}
	if second.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("second answer lacks Idempotent-Replayed: true")
	}
	for _, index := range []int{0, 2} {
		a := first.json["results"].([]any)[index].(map[string]any)
		b := second.json["results"].([]any)[index].(map[string]any)
		if a["transactionId"] != b["transactionId"] || a["jobId"] != b["jobId"] {
			t.Errorf("patient %d: replay %v differs from %v", index, b, a)
		}
	}
	assertRowCount(t, env, "SELECT count(*) FROM transactions", 2)
	assertRowCount(t, env, "SELECT count(*) FROM river_job", 2)

	changed := strings.Replace(body, "Soto", "Sola", 1)
	conflict := env.do(t, http.MethodPost, "/ehr/send-patient-data/bulk", "application/json", changed, headers)
	if conflict.status != http.StatusConflict {
		t.Errorf("same key, other patients: %d %s, want 409", conflict.status, conflict.raw)
	}
}

func TestBulkCSVFileProblems(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	cases := map[string]string{
		"":                                 "csv_empty",
		"firstName,firstName\nAna,Ana\n":   "csv_duplicate_column",
		"firstName,lastName\n\"Ana,Ruiz\n": "invalid_csv",
	}
	for csvBody, code := range cases {
		r := env.do(t, http.MethodPost, "/ehr/send-patient-data/bulk?ehrName=Athena", "text/csv", csvBody, nil)
		if r.status != http.StatusBadRequest || r.json["error"] != code {
			t.Errorf("CSV %q: %d %s, want 400 %s", csvBody, r.status, r.raw, code)
		}
	}
	plain := env.do(t, http.MethodPost, "/ehr/send-patient-data/bulk", "text/plain", "x", nil)
	if plain.status != http.StatusUnsupportedMediaType || plain.json["error"] != "unsupported_media_type_bulk" {
		t.Errorf("text/plain: %d %s, want 415 unsupported_media_type_bulk", plain.status, plain.raw)
	}
	csvLines := env.do(t, http.MethodPost, "/ehr/send-patient-data/bulk?ehrName=Athena", "text/csv", bulkCSV, nil)
	rejected := csvLines.json["results"].([]any)[1].(map[string]any)
	if rejected["line"] != float64(3) {
		t.Errorf("rejected CSV row reports line %v, want 3", rejected["line"])
	}
}
