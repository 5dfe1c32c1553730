package app_test

import (
	"net/http"
	"strings"
	"testing"

	"ehrbridge/ehr/sim"
)

func TestSendFullPatientToAthena(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	r := env.postJSON(t, "/ehr/send-patient-data", sample(t, "full-en.json"))
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", r.status, r.raw)
	}
	statuses := endpointStatuses(t, r)
	for _, name := range []string{"patient_demographics", "medical_history", "social_history", "family_history", "insurance_info"} {
		if statuses[name] != "succeeded" {
			t.Errorf("endpoint %s status %q, want succeeded", name, statuses[name])
		}
	}

	patientID, _ := r.json["ehrPatientId"].(string)
	record, ok := env.app.Simulator.Patient("athena", patientID)
	if !ok {
		t.Fatalf("simulator has no athena patient %q", patientID)
	}
	if len(record.Calls) != 5 {
		t.Fatalf("simulator recorded %d calls, want 5", len(record.Calls))
	}
	want := map[string]map[string]string{
		"POST /v1/195900/patients": {
			"PATIENT_FIRST_NAME": "Elena", "PATIENT_LAST_NAME": "Vasquez-Moore", "PATIENT_IDENT_NAME": "Elena Vasquez-Moore",
			"GENDER_OF_PATIENT": "female", "AGE_PATIENT": "52", "DATE_OF_BIRTH_PATIENT": "03/18/1974",
			"PATIENT_EMAIL_ID": "elena.vm@example.org", "TELEPHONE_NUMBER_PATIENT": "+1 415 555 0142",
			"PATIENT_LOCATION_ADDRESS": "12 Harbor View Rd, Oakland, CA 94607",
		},
		"POST /v1/195900/chart/" + patientID + "/medicalhistory": {
			"HISTORY_MEDICAL_PATIENT":     "Hypothyroidism (2009); hyperlipidemia (2016); cholecystectomy (2012)",
			"ALLERGIES_PATIENT":           "Penicillin, Tree nuts",
			"PATIENT_MEDICATIONS_CURRENT": "Levothyroxine 50mcg daily, Atorvastatin 20mg nightly",
			"CURRENT_SYMPTOMS_PATIENT":    "Intermittent chest tightness, Shortness of breath on stairs",
		},
		"PUT /v1/195900/chart/" + patientID + "/socialhistory": {
			"HISTORY_SOCIAL_PATIENT": "Never smoker; 2-3 glasses of wine per week; works night shifts",
			"BLOOD_TYPE_PATIENT":     "A-", "MARITAL_STATUS_PATIENT": "Divorced",
		},
		"PUT /v1/195900/chart/" + patientID + "/familyhistory": {
			"HISTORY_FAMILY_PATIENT": "Father: myocardial infarction at 58; mother: type 2 diabetes",
		},
		"POST /v1/195900/patients/" + patientID + "/insurances": {
			"INSURANCE_PROVIDER_PATIENT": "Kaiser Permanente", "POLICY_NUMBER_INSURANCE_PATIENT": "KP-88412093",
			"PRIMARY_CARE_DOCTOR_PATIENT": "Dr. Amal Haddad", "EMERGENCY_CONTACT_PATIENT": "Tomas Moore (+1 415 555 0177) - Son",
		},
	}
	assertCalls(t, record, want)
}

func TestSendFullPatientToAllscripts(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	r := env.postJSON(t, "/ehr/send-patient-data", withEHR(t, sample(t, "full-en.json"), "allscripts"))
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", r.status, r.raw)
	}
	patientID, _ := r.json["ehrPatientId"].(string)
	record, ok := env.app.Simulator.Patient("unity", patientID)
	if !ok {
		t.Fatalf("simulator has no unity patient %q", patientID)
	}
	if len(record.Calls) != 5 {
		t.Fatalf("simulator recorded %d calls, want 5", len(record.Calls))
	}

	demographics := callsByEndpoint(record)["SavePatient"]
	if len(demographics) != 1 {
		t.Fatalf("SavePatient calls: %d, want 1", len(demographics))
	}
	for field, value := range map[string]string{
		"NAME_OF_PAT": "Vasquez-Moore, Elena", "GENDER_PAT": "F", "BIRTHDATE_OF_PAT": "1974-03-18", "AGE_PAT": "52",
	} {
		if got := demographics[0][field]; got != value {
			t.Errorf("SavePatient %s = %q, want %q", field, got, value)
		}
	}
	if histories := callsByEndpoint(record)["SaveHistory"]; len(histories) != 3 {
		t.Errorf("SaveHistory calls: %d, want 3 (medical, social, family)", len(histories))
	}
	insurance := callsByEndpoint(record)["SaveInsurance"]
	if len(insurance) != 1 || insurance[0]["EMERGENCY_CONTACT_PAT"] != "Tomas Moore (+1 415 555 0177) - Son" {
		t.Errorf("SaveInsurance calls %v, want one with the emergency contact", insurance)
	}
}

func TestSendMinimalSpanishPatientToAllscripts(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	r := env.postJSON(t, "/ehr/send-patient-data", sample(t, "minimal-es.json"))
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", r.status, r.raw)
	}
	statuses := endpointStatuses(t, r)
	if len(statuses) != 1 || statuses["patient_demographics"] != "succeeded" {
		t.Errorf("endpoints %v, want only patient_demographics succeeded", statuses)
	}
	patientID, _ := r.json["ehrPatientId"].(string)
	record, _ := env.app.Simulator.Patient("unity", patientID)
	if got := callsByEndpoint(record)["SavePatient"]; len(got) != 1 || got[0]["GENDER_PAT"] != "M" {
		t.Errorf("SavePatient calls %v, want one with GENDER_PAT M (from masculino)", got)
	}
}

// callsByEndpoint groups a patient's recorded fields by endpoint.
func callsByEndpoint(record sim.PatientRecord) map[string][]map[string]string {
	out := map[string][]map[string]string{}
	for _, call := range record.Calls {
		out[call.Endpoint] = append(out[call.Endpoint], call.Fields)
	}

	return out
}

// assertCalls checks that the simulator received exactly the wanted
// fields at each endpoint.
func assertCalls(t *testing.T, record sim.PatientRecord, want map[string]map[string]string) {
	t.Helper()
	got := callsByEndpoint(record)
	for endpoint, fields := range want {
		calls := got[endpoint]
		if len(calls) != 1 {
			t.Errorf("endpoint %s received %d calls, want 1", endpoint, len(calls))
			continue
		}
		for key, value := range fields {
			if calls[0][key] != value {
				t.Errorf("%s field %s = %q, want %q", endpoint, key, calls[0][key], value)
			}
		}
		for key := range calls[0] {
			if _, expected := fields[key]; !expected {
				t.Errorf("%s received unexpected field %s", endpoint, key)
			}
		}
	}
}

func TestSendRejectsBadInput(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	valid := `{"firstName":"Ana","lastName":"Ruiz","age":30,"gender":"female","contact":{"email":"ana@example.com","phone":"555-010-1234"}}`

	cases := []struct {
		name        string
		contentType string
		body        string
		status      int
		code        string
		fields      []string
	}{
		{"malformed JSON", "application/json", `{"ehrName":`, 400, "invalid_json", nil},
		{"JSON array", "application/json", `[1,2]`, 400, "body_not_object", nil},
		{"empty body", "application/json", ``, 400, "invalid_json", nil},
		{"form body", "application/x-www-form-urlencoded", `ehrName=Athena`, 415, "unsupported_media_type", nil},
		{"missing ehrName", "application/json", `{"patientData":` + valid + `}`, 400, "validation_failed", []string{"ehrName"}},
		{"missing patientData", "application/json", `{"ehrName":"Athena"}`, 400, "validation_failed", []string{"patientData"}},
		{"patientData not object", "application/json", `{"ehrName":"Athena","patientData":"x"}`, 400, "validation_failed", []string{"patientData"}},
		{"ehrName wrong type", "application/json", `{"ehrName":5,"patientData":` + valid + `}`, 400, "validation_failed", []string{"ehrName"}},
		{"unknown request field", "application/json", `{"ehrName":"Athena","patientData":` + valid + `,"priority":1}`, 400, "validation_failed", []string{"priority"}},
		{"age as string", "application/json", `{"ehrName":"Athena","patientData":` + strings.Replace(valid, `"age":30`, `"age":"30"`, 1) + `}`, 400, "validation_failed", []string{"patientData.age"}},
		{"unknown EHR", "application/json", `{"ehrName":"InvalidEHR","patientData":` + valid + `}`, 404, "unknown_ehr", nil},
		{"unknown target endpoint", "application/json", `{"ehrName":"Athena","targetEndpoints":["labs"],"patientData":` + valid + `}`, 400, "validation_failed", []string{"targetEndpoints[0]"}},
		{"target needs patient id", "application/json", `{"ehrName":"Athena","targetEndpoints":["medical_history"],"patientData":` + valid + `}`, 400, "validation_failed", []string{"targetEndpoints"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := env.do(t, http.MethodPost, "/ehr/send-patient-data", tc.contentType, tc.body, nil)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.raw)
			}
			if r.json["error"] != tc.code {
				t.Errorf("error code %v, want %s", r.json["error"], tc.code)
			}
			if msg, _ := r.json["message"].(string); msg == "" || strings.HasPrefix(msg, "error.") {
				t.Errorf("message %q is missing or untranslated", msg)
			}
			got := fieldNames(r)
			for _, field := range tc.fields {
				if !got[field] {
					t.Errorf("fields %v do not name %s", got, field)
				}
			}
		})
	}
	if stats := env.app.Simulator.Stats(); stats.Received != 0 {
		t.Errorf("simulator received %d calls from rejected requests, want 0", stats.Received)
	}
}

// fieldNames returns the field paths of an error answer.
func fieldNames(r response) map[string]bool {
	out := map[string]bool{}
	items, _ := r.json["fields"].([]any)
	for _, item := range items {
		out[item.(map[string]any)["field"].(string)] = true
	}

	return out
}

func TestSendInvalidSampleInSpanish(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	r := env.postJSON(t, "/ehr/send-patient-data", sample(t, "invalid-es.json"))
	if r.status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400: %s", r.status, r.raw)
	}
	wantCodes := map[string]string{
		"patientData.firstName":     "required",
		"patientData.age":           "out_of_range",
		"patientData.contact.email": "invalid_email",
		"patientData.contact.phone": "required",
		"patientData.bloodType":     "invalid_blood_type",
	}
	items, _ := r.json["fields"].([]any)
	if len(items) != len(wantCodes) {
		t.Errorf("got %d field errors, want %d: %s", len(items), len(wantCodes), r.raw)
	}
	english := setupCatalogEnglish(t, env)
	for _, item := range items {
		fe := item.(map[string]any)
		field, code, message := fe["field"].(string), fe["code"].(string), fe["message"].(string)
		if wantCodes[field] != code {
			t.Errorf("field %s code %s, want %s", field, code, wantCodes[field])
		}
		if message == "" || message == english[field] {
			t.Errorf("field %s message %q is not Spanish", field, message)
		}
	}
}

// setupCatalogEnglish returns the English messages of the invalid sample,
// to tell them apart from the Spanish ones.
func setupCatalogEnglish(t *testing.T, env *testEnv) map[string]string {
	t.Helper()
	body := strings.Replace(sample(t, "invalid-es.json"), `"language": "es"`, `"language": "en"`, 1)
	r := env.postJSON(t, "/ehr/send-patient-data", body)
	out := map[string]string{}
	items, _ := r.json["fields"].([]any)
	for _, item := range items {
		fe := item.(map[string]any)
		out[fe["field"].(string)] = fe["message"].(string)
	}
	if len(out) == 0 {
		t.Fatalf("English answer has no field errors: %s", r.raw)
	}

	return out
}

func TestSendUnknownPatientField(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)

	r := env.postJSON(t, "/ehr/send-patient-data", sample(t, "unknown-field.json"))
	if r.status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400: %s", r.status, r.raw)
	}
	if !fieldNames(r)["patientData.ssn"] {
		t.Errorf("fields %v do not name patientData.ssn", fieldNames(r))
	}
}

func TestSendLanguageFromQueryAndHeader(t *testing.T) {
	t.Parallel()
	env := setup(t, nil)
	body := `{"ehrName":"Athena","patientData":{"firstName":"Ana"}}`

	english := env.do(t, http.MethodPost, "/ehr/send-patient-data", "application/json", body, nil)
	byQuery := env.do(t, http.MethodPost, "/ehr/send-patient-data?lang=es", "application/json", body, nil)
	byHeader := env.do(t, http.MethodPost, "/ehr/send-patient-data", "application/json", body, map[string]string{"Accept-Language": "es-MX,es;q=0.9"})
	fallback := env.do(t, http.MethodPost, "/ehr/send-patient-data", "application/json", body, map[string]string{"Accept-Language": "fr-FR"})

	if english.json["message"] == byQuery.json["message"] {
		t.Errorf("?lang=es gave the English message %q", byQuery.json["message"])
	}
	if byHeader.json["message"] != byQuery.json["message"] {
		t.Errorf("Accept-Language es-MX gave %q, want the Spanish %q", byHeader.json["message"], byQuery.json["message"])
	}
	if fallback.json["message"] != english.json["message"] {
		t.Errorf("Accept-Language fr gave %q, want the English %q", fallback.json["message"], english.json["message"])
	}
}
