package ehr

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
)

// fullPatientJSON uses every Patient field, with synthetic data.
const fullPatientJSON = `{
	"firstName": "Elena",
	"lastName": "Vasquez-Moore",
	"age": 52,
	"gender": "female",
	"dateOfBirth": "1974-03-18",
	"contact": {"email": "elena.vm@example.org", "phone": "+1 415 555 0142", "address": "12 Harbor View Rd"},
	"allergies": ["Penicillin", "Latex"],
	"medications": ["Lisinopril 10 mg"],
	"symptoms": ["Headache"],
	"medicalHistory": "Hypertension since 2015.",
	"socialHistory": "Non-smoker.",
	"familyHistory": "Father: type 2 diabetes.",
	"bloodType": "A-",
	"maritalStatus": "married",
	"emergencyContact": {"name": "Tomas Moore", "phone": "+1 415 555 0177", "relationship": "Son"},
	"insuranceProvider": "Example Health",
	"insurancePolicyNumber": "EH-0001",
	"primaryCarePhysician": "Dr. Rivera",
	"identifiers": {"ehrPatientId": "p-1001", "mrn": "MRN-77"},
	"answers": {"smoker": false, "visits_per_year": 3, "pain.scale": 4.5, "diet": ["vegetarian", "low salt"], "notes": "none"}
}`

func decodeJSON(t *testing.T, input string) (*Patient, FieldErrors) {
	t.Helper()

	return DecodePatient(json.RawMessage(input))
}

func TestDecodePatientFull(t *testing.T) {
	t.Parallel()

	patient, errs := decodeJSON(t, fullPatientJSON)
	if len(errs) != 0 {
		t.Fatalf("DecodePatient errors: %v", errs)
	}

	want := &Patient{
		FirstName: "Elena", LastName: "Vasquez-Moore", Age: 52, Gender: "female", DateOfBirth: "1974-03-18",
		Contact:        Contact{Email: "elena.vm@example.org", Phone: "+1 415 555 0142", Address: "12 Harbor View Rd"},
		Allergies:      []string{"Penicillin", "Latex"},
		Medications:    []string{"Lisinopril 10 mg"},
		Symptoms:       []string{"Headache"},
		MedicalHistory: "Hypertension since 2015.", SocialHistory: "Non-smoker.", FamilyHistory: "Father: type 2 diabetes.",
		BloodType: "A-", MaritalStatus: "married",
		EmergencyContact:  &EmergencyContact{Name: "Tomas Moore", Phone: "+1 415 555 0177", Relationship: "Son"},
		InsuranceProvider: "Example Health", InsurancePolicyNumber: "EH-0001", PrimaryCarePhysician: "Dr. Rivera",
		Identifiers: Identifiers{EHRPatientID: "p-1001", MRN: "MRN-77"},
		Answers: map[string]any{
			"smoker": false, "visits_per_year": json.Number("3"), "pain.scale": json.Number("4.5"),
			"diet": []any{"vegetarian", "low salt"}, "notes": "none",
		},
	}
	if !reflect.DeepEqual(patient, want) {
		t.Errorf("DecodePatient =\n%+v\nwant\n%+v", patient, want)
	}
}

func TestDecodePatientRoundTrip(t *testing.T) {
	t.Parallel()

	inputs := map[string]string{
		"full":           fullPatientJSON,
		"text contact":   `{"firstName":"Ana","lastName":"Ruiz","age":0,"gender":"f","contact":{"email":"ana@example.org","phone":"555 0100 12"},"emergencyContact":"Call Luis"}`,
		"empty lists":    `{"firstName":"Ana","age":30,"allergies":[],"answers":{},"identifiers":{}}`,
		"alias":          `{"firstName":"Ana","currentMedications":["Ibuprofen"]}`,
		"no age":         `{"firstName":"Ana","lastName":"Ruiz"}`,
		"extreme number": `{"answers":{"count":12345678901234567890123}}`,
	}
	for name, input := range inputs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			first, errs := decodeJSON(t, input)
			if len(errs) != 0 {
				t.Fatalf("first decode errors: %v", errs)
			}
			encoded, err := json.Marshal(first)
			if err != nil {
				t.Fatalf("Marshal error: %v", err)
			}
			second, errs := DecodePatient(encoded)
			if len(errs) != 0 {
				t.Fatalf("second decode of %s errors: %v", encoded, errs)
			}
			if !reflect.DeepEqual(first, second) {
				t.Errorf("round trip changed the patient:\nbefore %+v\nafter  %+v\njson %s", first, second, encoded)
			}
		})
	}
}

func TestDecodePatientValidatedRoundTrip(t *testing.T) {
	t.Parallel()

	patient, errs := decodeJSON(t, fullPatientJSON)
	if len(errs) != 0 {
		t.Fatalf("decode errors: %v", errs)
	}
	if errs := patient.Validate(sampleNow); len(errs) != 0 {
		t.Fatalf("Validate errors: %v", errs)
	}
	encoded, err := json.Marshal(patient)
	if err != nil {
		t.Fatalf("Marshal error: %v", err)
	}
	stored, errs := DecodePatient(encoded)
	if len(errs) != 0 {
		t.Fatalf("decode of stored patient errors: %v", errs)
	}
	if !reflect.DeepEqual(patient, stored) {
		t.Errorf("stored patient differs:\nbefore %+v\nafter  %+v", patient, stored)
	}
}

func TestDecodePatientNotAnObject(t *testing.T) {
	t.Parallel()

	for _, input := range []string{``, `null`, `[]`, `"patient"`, `42`, `true`, `{"firstName":`, `{} {}`} {
		patient, errs := decodeJSON(t, input)
		if patient != nil {
			t.Errorf("DecodePatient(%q) patient = %+v, want nil", input, patient)
		}
		want := FieldErrors{{Field: "", Code: FieldCodeMustBeObject}}
		if !reflect.DeepEqual(errs, want) {
			t.Errorf("DecodePatient(%q) errors = %v, want %v", input, errs, want)
		}
	}
}

func TestDecodePatientUnknownFields(t *testing.T) {
	t.Parallel()

	input := `{"ssn":"000-00-0000","firstName":"Ana","contact":{"email":"ana@example.org","fax":"1","pager":"2"},
		"identifiers":{"mrn":"M1","npi":"3"},"emergencyContact":{"name":"Luis","email":"luis@example.org"},
		"favoriteColor":"blue"}`
	_, errs := decodeJSON(t, input)

	want := FieldErrors{
		{Field: "contact.fax", Code: FieldCodeUnknownField},
		{Field: "contact.pager", Code: FieldCodeUnknownField},
		{Field: "emergencyContact.email", Code: FieldCodeUnknownField},
		{Field: "identifiers.npi", Code: FieldCodeUnknownField},
		{Field: "favoriteColor", Code: FieldCodeUnknownField},
		{Field: "ssn", Code: FieldCodeUnknownField},
	}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("errors =\n%v\nwant\n%v", errs, want)
	}
}

func TestDecodePatientLongUnknownKeyIsCut(t *testing.T) {
	t.Parallel()

	key := strings.Repeat("k", 500)
	_, errs := decodeJSON(t, `{"`+key+`":1}`)
	if len(errs) != 1 {
		t.Fatalf("errors = %v, want one", errs)
	}
	if want := strings.Repeat("k", maxKeyInPath) + "…"; errs[0].Field != want {
		t.Errorf("field = %q, want the key cut to %d characters", errs[0].Field, maxKeyInPath)
	}
}

func TestDecodePatientWrongTypesReportedTogether(t *testing.T) {
	t.Parallel()

	input := `{
		"firstName": 1, "lastName": ["Ruiz"], "age": "30", "gender": true, "dateOfBirth": 19740318,
		"contact": {"email": 5, "phone": {}, "address": false},
		"allergies": "Penicillin", "medications": [1], "symptoms": ["cough", null],
		"medicalHistory": {}, "socialHistory": 0, "familyHistory": [], "bloodType": 1, "maritalStatus": 2,
		"emergencyContact": 3, "insuranceProvider": 4, "insurancePolicyNumber": 5, "primaryCarePhysician": 6,
		"identifiers": "p-1", "answers": ["yes"]
	}`
	_, errs := decodeJSON(t, input)

	want := FieldErrors{
		{Field: "firstName", Code: FieldCodeMustBeString},
		{Field: "lastName", Code: FieldCodeMustBeString},
		{Field: "age", Code: FieldCodeMustBeInteger},
		{Field: "gender", Code: FieldCodeMustBeString},
		{Field: "dateOfBirth", Code: FieldCodeMustBeString},
		{Field: "contact.email", Code: FieldCodeMustBeString},
		{Field: "contact.phone", Code: FieldCodeMustBeString},
		{Field: "contact.address", Code: FieldCodeMustBeString},
		{Field: "allergies", Code: FieldCodeMustBeStringList},
		{Field: "medications", Code: FieldCodeMustBeStringList},
		{Field: "symptoms", Code: FieldCodeMustBeStringList},
		{Field: "medicalHistory", Code: FieldCodeMustBeString},
		{Field: "socialHistory", Code: FieldCodeMustBeString},
		{Field: "familyHistory", Code: FieldCodeMustBeString},
		{Field: "bloodType", Code: FieldCodeMustBeString},
		{Field: "maritalStatus", Code: FieldCodeMustBeString},
		{Field: "emergencyContact", Code: FieldCodeMustBeStringOrObject},
		{Field: "insuranceProvider", Code: FieldCodeMustBeString},
		{Field: "insurancePolicyNumber", Code: FieldCodeMustBeString},
		{Field: "primaryCarePhysician", Code: FieldCodeMustBeString},
		{Field: "identifiers", Code: FieldCodeMustBeObject},
		{Field: "answers", Code: FieldCodeMustBeObject},
	}
	if len(errs) != len(want) {
		t.Errorf("got %d errors, want %d:\n%v", len(errs), len(want), errs)
	}
	for i := range min(len(errs), len(want)) {
		if errs[i].Field != want[i].Field || errs[i].Code != want[i].Code {
			t.Errorf("error %d = %s %s, want %s %s", i, errs[i].Field, errs[i].Code, want[i].Field, want[i].Code)
		}
	}
}

func TestDecodePatientContactMustBeObject(t *testing.T) {
	t.Parallel()

	_, errs := decodeJSON(t, `{"contact":"ana@example.org","emergencyContact":{"name":1}}`)
	want := FieldErrors{
		{Field: "contact", Code: FieldCodeMustBeObject},
		{Field: "emergencyContact.name", Code: FieldCodeMustBeString},
	}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("errors = %v, want %v", errs, want)
	}
}

func TestDecodePatientAge(t *testing.T) {
	t.Parallel()

	cases := []struct {
		literal string
		want    int
		code    string
	}{
		{"30", 30, ""},
		{"30.0", 30, ""},
		{"3e1", 30, ""},
		{"3.0E+1", 30, ""},
		{"0", 0, ""},
		{"-0", 0, ""},
		{"-4", -4, ""},
		{"30.5", AgeNotGiven, FieldCodeMustBeInteger},
		{"30.0000000000000000001", AgeNotGiven, FieldCodeMustBeInteger},
		{"1e-400", AgeNotGiven, FieldCodeMustBeInteger},
		{"-1e-1000000000", AgeNotGiven, FieldCodeMustBeInteger},
		{"30." + strings.Repeat("0", 100) + "1", AgeNotGiven, FieldCodeMustBeInteger},
		{"1e1000000000", math.MaxInt, ""},
		{"-1e1000000000", math.MinInt + 1, ""},
		{`"30"`, AgeNotGiven, FieldCodeMustBeInteger},
		{"true", AgeNotGiven, FieldCodeMustBeInteger},
		{"[30]", AgeNotGiven, FieldCodeMustBeInteger},
		{"null", AgeNotGiven, ""},
		{"1e30", math.MaxInt, ""},
		{"-1e30", math.MinInt + 1, ""},
		{"-1e19", math.MinInt + 1, ""},
		{"-9223372036854775808", AgeNotGiven, ""},
	}
	for _, tc := range cases {
		patient, errs := decodeJSON(t, `{"age":`+tc.literal+`}`)
		if patient.Age != tc.want {
			t.Errorf("age %s decoded to %d, want %d", tc.literal, patient.Age, tc.want)
		}
		gotCode := ""
		if len(errs) > 0 {
			gotCode = errs[0].Code
		}
		if gotCode != tc.code || len(errs) > 1 {
			t.Errorf("age %s errors = %v, want code %q", tc.literal, errs, tc.code)
		}
	}
}

func TestDecodePatientMissingAge(t *testing.T) {
	t.Parallel()

	patient, errs := decodeJSON(t, `{"firstName":"Ana"}`)
	if len(errs) != 0 {
		t.Fatalf("errors = %v", errs)
	}
	if patient.Age != AgeNotGiven {
		t.Errorf("missing age decoded to %d, want AgeNotGiven", patient.Age)
	}
}

func TestDecodePatientNullMeansAbsent(t *testing.T) {
	t.Parallel()

	input := `{"firstName":null,"contact":null,"allergies":null,"emergencyContact":null,"identifiers":null,
		"answers":{"q1":null},"medications":null,"currentMedications":["Ibuprofen"],"bloodType":null}`
	patient, errs := decodeJSON(t, input)
	if len(errs) != 0 {
		t.Fatalf("errors = %v, want none", errs)
	}
	want := &Patient{Age: AgeNotGiven, Medications: []string{"Ibuprofen"}}
	if !reflect.DeepEqual(patient, want) {
		t.Errorf("patient = %+v, want %+v", patient, want)
	}
}

func TestDecodePatientMedicationsAlias(t *testing.T) {
	t.Parallel()

	patient, errs := decodeJSON(t, `{"currentMedications":["Metformin"]}`)
	if len(errs) != 0 {
		t.Fatalf("alias alone errors = %v", errs)
	}
	if !reflect.DeepEqual(patient.Medications, []string{"Metformin"}) {
		t.Errorf("alias alone medications = %v, want [Metformin]", patient.Medications)
	}

	patient, errs = decodeJSON(t, `{"medications":["Aspirin"],"currentMedications":["Metformin"]}`)
	want := FieldErrors{{Field: "currentMedications", Code: FieldCodeConflictingAlias, Args: []any{"medications"}}}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("both names errors = %v, want %v", errs, want)
	}
	if !reflect.DeepEqual(patient.Medications, []string{"Aspirin"}) {
		t.Errorf("both names medications = %v, want the medications list", patient.Medications)
	}
}

func TestDecodePatientEmergencyContactForms(t *testing.T) {
	t.Parallel()

	patient, _ := decodeJSON(t, `{"emergencyContact":"Call Luis at 555 0100"}`)
	if patient.EmergencyContact == nil || patient.EmergencyContact.Text != "Call Luis at 555 0100" {
		t.Errorf("text contact = %+v, want the text", patient.EmergencyContact)
	}

	patient, _ = decodeJSON(t, `{"emergencyContact":"   "}`)
	if patient.EmergencyContact != nil {
		t.Errorf("blank text contact = %+v, want absent", patient.EmergencyContact)
	}

	patient, _ = decodeJSON(t, `{"emergencyContact":{"name":"Luis","relationship":"Brother"}}`)
	want := &EmergencyContact{Name: "Luis", Relationship: "Brother"}
	if !reflect.DeepEqual(patient.EmergencyContact, want) {
		t.Errorf("object contact = %+v, want %+v", patient.EmergencyContact, want)
	}
}

func TestDecodePatientAnswers(t *testing.T) {
	t.Parallel()

	input := `{"answers":{
		"ok_text":"yes", "ok_number":7, "ok_bool":true, "ok_list":["a", 1, false], "ok_empty_list":[],
		"bad key":"x", ".hidden":"x", "nested":{"a":1}, "list_of_lists":[[1]], "list_with_null":["a", null],
		"list_of_objects":[{"a":1}], "skipped":null
	}}`
	patient, errs := decodeJSON(t, input)

	wantErrs := FieldErrors{
		{Field: "answers..hidden", Code: FieldCodeInvalidAnswerKey},
		{Field: "answers.bad key", Code: FieldCodeInvalidAnswerKey},
		{Field: "answers.list_of_lists", Code: FieldCodeInvalidAnswerValue},
		{Field: "answers.list_of_objects", Code: FieldCodeInvalidAnswerValue},
		{Field: "answers.list_with_null", Code: FieldCodeInvalidAnswerValue},
		{Field: "answers.nested", Code: FieldCodeInvalidAnswerValue},
	}
	if !reflect.DeepEqual(errs, wantErrs) {
		t.Errorf("errors =\n%v\nwant\n%v", errs, wantErrs)
	}

	wantAnswers := map[string]any{
		"ok_text": "yes", "ok_number": json.Number("7"), "ok_bool": true,
		"ok_list": []any{"a", json.Number("1"), false}, "ok_empty_list": []any{},
	}
	if !reflect.DeepEqual(patient.Answers, wantAnswers) {
		t.Errorf("answers = %#v, want %#v", patient.Answers, wantAnswers)
	}
}

func TestDecodePatientStringListNullItem(t *testing.T) {
	t.Parallel()

	patient, errs := decodeJSON(t, `{"allergies":["Penicillin",null]}`)
	want := FieldErrors{{Field: "allergies", Code: FieldCodeMustBeStringList}}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("errors = %v, want %v", errs, want)
	}
	if patient.Allergies != nil {
		t.Errorf("allergies = %v, want none kept from an invalid list", patient.Allergies)
	}
}
