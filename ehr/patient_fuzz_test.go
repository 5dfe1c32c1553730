package ehr

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sendRequestSamplesGlob matches the synthetic send requests of the app
// tests. Each one has the patient under "patientData".
const sendRequestSamplesGlob = "../app/testdata/*.json"

// patientSamples returns the patientData object of every sample send
// request, in file name order.
func patientSamples(tb testing.TB) []json.RawMessage {
	tb.Helper()
	paths, err := filepath.Glob(sendRequestSamplesGlob)
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no sample send requests match %s (err %v)", sendRequestSamplesGlob, err)
	}

	samples := make([]json.RawMessage, 0, len(paths))
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			tb.Fatalf("reading %s: %v", path, err)
		}
		var request struct {
			PatientData json.RawMessage `json:"patientData"`
		}
		if err := json.Unmarshal(raw, &request); err != nil || request.PatientData == nil {
			tb.Fatalf("%s has no patientData object (err %v)", path, err)
		}
		samples = append(samples, request.PatientData)
	}

	return samples
}

// deeplyNested returns depth opening brackets followed by as many closing
// ones, which is deeper than encoding/json accepts.
func deeplyNested(depth int) string {
	return strings.Repeat("[", depth) + strings.Repeat("]", depth)
}

// patientEdgeCases are patient inputs of the kinds a client gets wrong:
// other JSON types, nulls, extreme numbers, invalid UTF-8, deep nesting,
// repeated and oversized keys.
var patientEdgeCases = []string{
	``, ` `, `null`, `[]`, `"patient"`, `42`, `true`, `{`, `}`, `{}`, `{} {}`, `{"firstName": "A"} x`,
	`{"firstName": null, "lastName": null, "age": null, "gender": null, "contact": null,
		"allergies": null, "emergencyContact": null, "identifiers": null, "answers": null}`,
	`{"firstName": 1, "lastName": [], "age": "30", "gender": {}, "dateOfBirth": false,
		"contact": [], "allergies": "dust", "medications": [1], "symptoms": [null],
		"emergencyContact": 5, "identifiers": "x", "answers": []}`,
	`{"age": 1e400}`, `{"age": -1e400}`, `{"age": 1e-400}`, `{"age": -0}`, `{"age": 30.0}`,
	`{"age": 3e1}`, `{"age": 30.000000000000000000000000000000000000000001}`,
	`{"age": 99999999999999999999999999999999}`, `{"age": -9223372036854775808}`,
	`{"age": 9223372036854775807}`, `{"age": 0x1e}`, `{"age": 1_000}`, `{"age": NaN}`,
	`{"answers": {"big": 1e400, "exact": 12345678901234567890, "tiny": -1e-400}}`,
	`{"answers": {"": "x", ".dot": 1, "list": [1, "a", true, null], "nested": [[1]], "object": {"a": 1}}}`,
	"{\"firstName\": \"\xff\xfe\", \"lastName\": \"\xc3\x28\", \"age\": 30}",
	"{\"\xff\": 1, \"contact\": {\"\xfe\": \"x\"}, \"answers\": {\"k\xff\": \"v\"}}",
	`{"firstName": "\ud800", "lastName": "\u0000", "gender": "\u200bfemale"}`,
	`{"firstName": "A", "firstName": "B", "contact": {"email": "a@example.com"}, "contact": {"phone": "5550100"}}`,
	`{"medications": ["a"], "currentMedications": ["b"]}`,
	`{"medications": null, "currentMedications": ["b"]}`,
	`{"emergencyContact": "   "}`, `{"emergencyContact": {}}`, `{"emergencyContact": {"nickname": "x"}}`,
	`{"dateOfBirth": "+1990-01-01"}`, `{"dateOfBirth": "1990-02-30"}`, `{"dateOfBirth": "99999-01-01"}`,
	`{"` + strings.Repeat("k", 10000) + `": 1}`,
	`{"firstName": ` + deeplyNested(20000) + `}`,
	`{"answers": {"deep": ` + deeplyNested(20000) + `}}`,
	`{"emergencyContact": ` + deeplyNested(200) + `}`,
}

// fuzzNow is the fixed clock of the patient fuzz tests, so a failing input
// fails again on replay.
var fuzzNow = sampleNow

// FuzzDecodeAndValidatePatient checks that any bytes decode to either a
// valid patient or a list of field errors with known codes, and never panic.
func FuzzDecodeAndValidatePatient(f *testing.F) {
	f.Add([]byte(fullPatientJSON))
	for _, sample := range patientSamples(f) {
		f.Add([]byte(sample))
	}
	for _, input := range patientEdgeCases {
		f.Add([]byte(input))
	}

	f.Fuzz(func(t *testing.T, raw []byte) {
		patient, errs := DecodeAndValidatePatient(json.RawMessage(raw), fuzzNow)
		checkPatientFieldErrors(t, patient, errs)
		if patient == nil || len(errs) > 0 {
			return
		}
		checkValidPatientStaysValid(t, patient)
	})
}

// checkPatientFieldErrors checks the contract of DecodeAndValidatePatient's
// errors: a nil patient comes with exactly one must_be_object error on the
// whole input, and every other error names a field and a code that has a
// locale message.
//
// NOTE: an unknown top-level key "" is reported with the empty field path,
// the same path as an error on the whole input, so that case is allowed.
func checkPatientFieldErrors(t *testing.T, patient *Patient, errs FieldErrors) {
	t.Helper()
	if patient == nil {
		want := FieldErrors{{Field: "", Code: FieldCodeMustBeObject}}
		if len(errs) != 1 || errs[0].Field != want[0].Field || errs[0].Code != want[0].Code {
			t.Fatalf("nil patient with errors %v, want %v", errs, want)
		}
		return
	}

	codes := FieldErrorCodes()
	for _, fe := range errs {
		if fe.Field == "" && fe.Code != FieldCodeUnknownField {
			t.Errorf("decoded patient has an error with no field: %+v", fe)
		}
		if !slices.Contains(codes, fe.Code) {
			t.Errorf("error on %q has code %q, which FieldErrorCodes does not list", fe.Field, fe.Code)
		}
	}
}

// checkValidPatientStaysValid checks that a valid patient passes Validate
// again and still passes after the JSON round trip that a stored
// transaction goes through.
func checkValidPatientStaysValid(t *testing.T, patient *Patient) {
	t.Helper()
	if errs := patient.Validate(fuzzNow); len(errs) > 0 {
		t.Fatalf("valid patient fails a second Validate: %v", errs)
	}

	encoded, err := json.Marshal(patient)
	if err != nil {
		t.Fatalf("encoding valid patient: %v", err)
	}
	if _, errs := DecodeAndValidatePatient(encoded, fuzzNow); len(errs) > 0 {
		t.Fatalf("encoded valid patient fails DecodeAndValidatePatient: %v", errs)
	}
	var stored Patient
	if err := json.Unmarshal(encoded, &stored); err != nil {
		t.Fatalf("json.Unmarshal of encoded valid patient: %v", err)
	}
	if errs := stored.Validate(fuzzNow); len(errs) > 0 {
		t.Fatalf("valid patient fails Validate after json.Unmarshal: %v", errs)
	}
}
