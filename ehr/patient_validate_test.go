package ehr

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

var sampleNow = time.Date(2026, 12, 4, 15, 30, 0, 0, time.UTC)

const validPatientJSON = `{"firstName":"Elena","lastName":"Vasquez-Moore","age":52,"gender":"female",
	"dateOfBirth":"1974-03-18","contact":{"email":"elena.vm@example.org","phone":"+1 415 555 0142",
	"address":"12 Harbor View Rd"},"allergies":["Penicillin"],"bloodType":"A-",
	"emergencyContact":{"name":"Tomas Moore","phone":"+1 415 555 0177","relationship":"Son"}}`

// patientWith decodes the valid sample patient with the given top-level keys
// replaced (a nil value removes the key). It fails the test on decode errors.
func patientWith(t *testing.T, changes map[string]any) *Patient {
	t.Helper()

	var fields map[string]any
	if err := json.Unmarshal([]byte(validPatientJSON), &fields); err != nil {
		t.Fatalf("sample patient is not JSON: %v", err)
	}
	for key, value := range changes {
		if value == nil {
			delete(fields, key)
			continue
		}
		fields[key] = value
	}
	encoded, err := json.Marshal(fields)
	if err != nil {
		t.Fatalf("Marshal error: %v", err)
	}
	patient, errs := DecodePatient(encoded)
	if len(errs) != 0 {
		t.Fatalf("decode errors: %v", errs)
	}

	return patient
}

func repeat(s string, n int) string { return strings.Repeat(s, n) }

func repeatList(item string, n int) []string {
	list := make([]string, n)
	for i := range list {
		list[i] = item
	}

	return list
}

func TestValidateSamplePatient(t *testing.T) {
	t.Parallel()

	patient, errs := DecodePatient(json.RawMessage(validPatientJSON))
	if len(errs) != 0 {
		t.Fatalf("decode errors: %v", errs)
	}
	if errs := patient.Validate(sampleNow); len(errs) != 0 {
		t.Errorf("Validate errors = %v, want none", errs)
	}
}

func TestValidateInvalidSample(t *testing.T) {
	t.Parallel()

	input := `{"firstName":"","lastName":"Ortega","age":212,"gender":"female",
		"contact":{"email":"not-an-email","phone":""},"bloodType":"Q+"}`
	patient, errs := DecodePatient(json.RawMessage(input))
	if len(errs) != 0 {
		t.Fatalf("decode errors: %v", errs)
	}

	want := FieldErrors{
		{Field: "firstName", Code: FieldCodeRequired},
		{Field: "age", Code: FieldCodeOutOfRange, Args: []any{0, 150}},
		{Field: "contact.email", Code: FieldCodeInvalidEmail},
		{Field: "contact.phone", Code: FieldCodeRequired},
		{Field: "bloodType", Code: FieldCodeInvalidBloodType},
	}
	got := patient.Validate(sampleNow)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Validate =\n%v\nwant\n%v", got, want)
	}
	if strings.Contains(got.Error(), "not-an-email") || strings.Contains(got.Error(), "Q+") {
		t.Errorf("error text %q repeats a rejected value", got.Error())
	}
}

func TestValidateValidVariants(t *testing.T) {
	t.Parallel()

	cases := map[string]map[string]any{
		"sample":                {},
		"no date of birth":      {"dateOfBirth": nil},
		"age zero":              {"age": 0, "dateOfBirth": "2026-12-04"},
		"age max":               {"age": 150, "dateOfBirth": nil},
		"gender synonym":        {"gender": "Mujer"},
		"phone with extension":  {"contact": map[string]any{"email": "a.b+tag@example.co.uk", "phone": "(415) 555-0142 x123"}},
		"phone with ext.":       {"contact": map[string]any{"email": "ana@example.org", "phone": "415.555.0142 ext. 12"}},
		"phone 15 digits":       {"contact": map[string]any{"email": "ana@example.org", "phone": "+123456789012345"}},
		"phone 7 digits":        {"contact": map[string]any{"email": "ana@example.org", "phone": "555-0142"}},
		"accented email domain": {"contact": map[string]any{"email": "ana@correo.españa.es", "phone": "555-0142"}},
		"text emergency":        {"emergencyContact": "Call Tomas Moore at 415 555 0177"},
		"contact without phone": {"emergencyContact": map[string]any{"name": "Tomas Moore"}},
		"blood type lower":      {"bloodType": "ab +"},
		"name at limit":         {"firstName": repeat("é", MaxNameLength)},
		"history at limit":      {"medicalHistory": repeat("a", MaxLongTextLength)},
		"list at limit":         {"symptoms": repeatList("cough", MaxListItems)},
		"short text at limit":   {"insuranceProvider": repeat("b", MaxShortTextLength)},
		"answers":               {"answers": map[string]any{"q1": "yes", "q2": 3, "q3": []any{"a", true}}},
		"identifiers":           {"identifiers": map[string]any{"ehrPatientId": "p-1", "mrn": "M-1"}},
	}
	for name, changes := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			patient := patientWith(t, changes)
			if errs := patient.Validate(sampleNow); len(errs) != 0 {
				t.Errorf("Validate errors = %v, want none", errs)
			}
		})
	}
}

func TestValidateSingleFieldErrors(t *testing.T) {
	t.Parallel()

	contact := func(email, phone string) map[string]any { return map[string]any{"email": email, "phone": phone} }
	cases := []struct {
		name    string
		changes map[string]any
		want    FieldErrors
	}{
		{"first name missing", map[string]any{"firstName": nil}, FieldErrors{{Field: "firstName", Code: FieldCodeRequired}}},
		{"first name blank", map[string]any{"firstName": "   "}, FieldErrors{{Field: "firstName", Code: FieldCodeRequired}}},
		{"last name too long", map[string]any{"lastName": repeat("a", MaxNameLength+1)},
			FieldErrors{{Field: "lastName", Code: FieldCodeTooLong, Args: []any{100}}}},
		{"age missing", map[string]any{"age": nil}, FieldErrors{{Field: "age", Code: FieldCodeRequired}}},
		{"age negative", map[string]any{"age": -1, "dateOfBirth": nil},
			FieldErrors{{Field: "age", Code: FieldCodeOutOfRange, Args: []any{0, 150}}}},
		{"age huge", map[string]any{"age": 1e30, "dateOfBirth": nil},
			FieldErrors{{Field: "age", Code: FieldCodeOutOfRange, Args: []any{0, 150}}}},
		{"gender missing", map[string]any{"gender": nil}, FieldErrors{{Field: "gender", Code: FieldCodeRequired}}},
		{"gender unknown word", map[string]any{"gender": "robot"}, FieldErrors{{Field: "gender", Code: FieldCodeInvalidGender}}},
		{"date not a date", map[string]any{"dateOfBirth": "1974-02-30"}, FieldErrors{{Field: "dateOfBirth", Code: FieldCodeInvalidDate}}},
		{"date wrong format", map[string]any{"dateOfBirth": "03/18/1974"}, FieldErrors{{Field: "dateOfBirth", Code: FieldCodeInvalidDate}}},
		{"date short year", map[string]any{"dateOfBirth": "74-03-18"}, FieldErrors{{Field: "dateOfBirth", Code: FieldCodeInvalidDate}}},
		{"date signed year", map[string]any{"dateOfBirth": "+974-03-18"}, FieldErrors{{Field: "dateOfBirth", Code: FieldCodeInvalidDate}}},
		{"date in future", map[string]any{"dateOfBirth": "2026-12-05", "age": 0},
			FieldErrors{{Field: "dateOfBirth", Code: FieldCodeDateInFuture}}},
		{"date too early", map[string]any{"dateOfBirth": "1869-12-31"},
			FieldErrors{{Field: "dateOfBirth", Code: FieldCodeDateTooEarly, Args: []any{"1870-01-01"}}}},
		{"age disagrees", map[string]any{"age": 40},
			FieldErrors{{Field: "age", Code: FieldCodeAgeMismatch, Args: []any{52}}}},
		{"contact missing", map[string]any{"contact": nil}, FieldErrors{
			{Field: "contact.email", Code: FieldCodeRequired},
			{Field: "contact.phone", Code: FieldCodeRequired},
		}},
		{"email with name", map[string]any{"contact": contact("Ana <ana@example.org>", "555 0142 12")},
			FieldErrors{{Field: "contact.email", Code: FieldCodeInvalidEmail}}},
		{"email without dot", map[string]any{"contact": contact("ana@localhost", "555 0142 12")},
			FieldErrors{{Field: "contact.email", Code: FieldCodeInvalidEmail}}},
		{"email empty label", map[string]any{"contact": contact("ana@example..org", "555 0142 12")},
			FieldErrors{{Field: "contact.email", Code: FieldCodeInvalidEmail}}},
		{"email domain literal", map[string]any{"contact": contact("ana@[192.0.2.1]", "555 0142 12")},
			FieldErrors{{Field: "contact.email", Code: FieldCodeInvalidEmail}}},
		{"email with space", map[string]any{"contact": contact("ana maria@example.org", "555 0142 12")},
			FieldErrors{{Field: "contact.email", Code: FieldCodeInvalidEmail}}},
		{"phone too few digits", map[string]any{"contact": contact("ana@example.org", "555-014")},
			FieldErrors{{Field: "contact.phone", Code: FieldCodeInvalidPhone}}},
		{"phone too many digits", map[string]any{"contact": contact("ana@example.org", "+1234567890123456")},
			FieldErrors{{Field: "contact.phone", Code: FieldCodeInvalidPhone}}},
		{"phone with words", map[string]any{"contact": contact("ana@example.org", "415 555 0142 evenings")},
			FieldErrors{{Field: "contact.phone", Code: FieldCodeInvalidPhone}}},
		{"phone plus inside", map[string]any{"contact": contact("ana@example.org", "415+555+0142")},
			FieldErrors{{Field: "contact.phone", Code: FieldCodeInvalidPhone}}},
		{"address too long", map[string]any{"contact": map[string]any{
			"email": "ana@example.org", "phone": "555 0142 12", "address": repeat("a", MaxLongTextLength+1)}},
			FieldErrors{{Field: "contact.address", Code: FieldCodeTooLong, Args: []any{10000}}}},
		{"too many allergies", map[string]any{"allergies": repeatList("dust", MaxListItems+1)},
			FieldErrors{{Field: "allergies", Code: FieldCodeTooManyItems, Args: []any{100}}}},
		{"blank list items", map[string]any{"medications": []any{"Aspirin", " ", "x", "y", "z", "q", "w", "e", "r", "t", ""}},
			FieldErrors{
				{Field: "medications[1]", Code: FieldCodeEmptyItem},
				{Field: "medications[10]", Code: FieldCodeEmptyItem},
			}},
		{"list item too long", map[string]any{"symptoms": []any{repeat("a", MaxListItemLength+1)}},
			FieldErrors{{Field: "symptoms[0]", Code: FieldCodeTooLong, Args: []any{500}}}},
		{"history too long", map[string]any{"familyHistory": repeat("a", MaxLongTextLength+1)},
			FieldErrors{{Field: "familyHistory", Code: FieldCodeTooLong, Args: []any{10000}}}},
		{"blood type unknown", map[string]any{"bloodType": "C+"}, FieldErrors{{Field: "bloodType", Code: FieldCodeInvalidBloodType}}},
		{"blood type words", map[string]any{"bloodType": "A pos"}, FieldErrors{{Field: "bloodType", Code: FieldCodeInvalidBloodType}}},
		{"marital status too long", map[string]any{"maritalStatus": repeat("a", MaxShortTextLength+1)},
			FieldErrors{{Field: "maritalStatus", Code: FieldCodeTooLong, Args: []any{200}}}},
		{"emergency text too long", map[string]any{"emergencyContact": repeat("a", MaxEmergencyContactText+1)},
			FieldErrors{{Field: "emergencyContact", Code: FieldCodeTooLong, Args: []any{500}}}},
		{"emergency contact without name", map[string]any{"emergencyContact": map[string]any{"phone": "555 0142 12"}},
			FieldErrors{{Field: "emergencyContact.name", Code: FieldCodeRequired}}},
		{"emergency contact bad phone and relationship", map[string]any{"emergencyContact": map[string]any{
			"name": "Tomas", "phone": "call", "relationship": repeat("a", MaxRelationshipLength+1)}},
			FieldErrors{
				{Field: "emergencyContact.phone", Code: FieldCodeInvalidPhone},
				{Field: "emergencyContact.relationship", Code: FieldCodeTooLong, Args: []any{100}},
			}},
		{"policy number too long", map[string]any{"insurancePolicyNumber": repeat("9", MaxShortTextLength+1)},
			FieldErrors{{Field: "insurancePolicyNumber", Code: FieldCodeTooLong, Args: []any{200}}}},
		{"identifier too long", map[string]any{"identifiers": map[string]any{"mrn": repeat("9", MaxShortTextLength+1)}},
			FieldErrors{{Field: "identifiers.mrn", Code: FieldCodeTooLong, Args: []any{200}}}},
		{"answer text too long", map[string]any{"answers": map[string]any{"q1": "ok", "q2": repeat("a", MaxAnswerTextLength+1)}},
			FieldErrors{{Field: "answers.q2", Code: FieldCodeTooLong, Args: []any{10000}}}},
		{"answer list text too long", map[string]any{"answers": map[string]any{"q1": []any{repeat("a", MaxAnswerTextLength+1)}}},
			FieldErrors{{Field: "answers.q1", Code: FieldCodeTooLong, Args: []any{10000}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := patientWith(t, tc.changes).Validate(sampleNow)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Validate =\n%v %v\nwant\n%v %v", got, argsOf(got), tc.want, argsOf(tc.want))
			}
			for _, fe := range got {
				if !slices.Contains(FieldErrorCodes(), fe.Code) {
					t.Errorf("code %q is missing from FieldErrorCodes", fe.Code)
				}
			}
		})
	}
}

func argsOf(errs FieldErrors) string {
	parts := make([]string, len(errs))
	for i, fe := range errs {
		parts[i] = fmt.Sprintf("%v", fe.Args)
	}

	return strings.Join(parts, " ")
}

func TestValidateTooManyAnswers(t *testing.T) {
	t.Parallel()

	answers := map[string]any{}
	for i := range MaxAnswers + 1 {
		answers[fmt.Sprintf("q%d", i)] = "yes"
	}
	got := patientWith(t, map[string]any{"answers": answers}).Validate(sampleNow)
	want := FieldErrors{{Field: "answers", Code: FieldCodeTooManyItems, Args: []any{200}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Validate = %v, want %v", got, want)
	}
}

func TestValidateAnswersSetInGo(t *testing.T) {
	t.Parallel()

	patient := patientWith(t, nil)
	patient.Answers = map[string]any{
		"ok":      []string{"a"},
		"count":   4,
		"skipped": nil,
		"bad key": "x",
		"nested":  map[string]any{"a": 1},
	}
	want := FieldErrors{
		{Field: "answers.bad key", Code: FieldCodeInvalidAnswerKey},
		{Field: "answers.nested", Code: FieldCodeInvalidAnswerValue},
	}
	if got := patient.Validate(sampleNow); !reflect.DeepEqual(got, want) {
		t.Errorf("Validate = %v, want %v", got, want)
	}
}

func TestValidateReportsEveryFieldInStructOrder(t *testing.T) {
	t.Parallel()

	patient := &Patient{
		LastName:         repeat("a", MaxNameLength+1),
		Age:              AgeNotGiven,
		Gender:           "robot",
		DateOfBirth:      "yesterday",
		Contact:          Contact{Email: "nope", Phone: "12"},
		Allergies:        []string{"", "dust"},
		Symptoms:         []string{"cough", " "},
		MedicalHistory:   repeat("a", MaxLongTextLength+1),
		BloodType:        "Z",
		EmergencyContact: &EmergencyContact{Phone: "call"},
		Identifiers:      Identifiers{EHRPatientID: repeat("a", MaxShortTextLength+1)},
		Answers:          map[string]any{"-bad": "x"},
	}
	want := []string{
		"firstName required",
		"lastName too_long",
		"age required",
		"gender invalid_gender",
		"dateOfBirth invalid_date",
		"contact.email invalid_email",
		"contact.phone invalid_phone",
		"allergies[0] empty_item",
		"symptoms[1] empty_item",
		"medicalHistory too_long",
		"bloodType invalid_blood_type",
		"emergencyContact.name required",
		"emergencyContact.phone invalid_phone",
		"identifiers.ehrPatientId too_long",
		"answers.-bad invalid_answer_key",
	}

	errs := patient.Validate(sampleNow)
	got := make([]string, len(errs))
	for i, fe := range errs {
		got[i] = fe.Field + " " + fe.Code
	}
	if !slices.Equal(got, want) {
		t.Errorf("Validate =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestValidateNormalizes(t *testing.T) {
	t.Parallel()

	patient := patientWith(t, map[string]any{
		"firstName":        "  Elena ",
		"gender":           " Masculino ",
		"bloodType":        " ab − ",
		"allergies":        []any{" Penicillin "},
		"emergencyContact": "  Call Tomas  ",
	})
	if errs := patient.Validate(sampleNow); len(errs) != 0 {
		t.Fatalf("Validate errors = %v", errs)
	}

	checks := []struct{ name, got, want string }{
		{"firstName", patient.FirstName, "Elena"},
		{"gender", patient.Gender, GenderMale},
		{"bloodType", patient.BloodType, "AB-"},
		{"allergies[0]", patient.Allergies[0], "Penicillin"},
		{"emergencyContact", patient.EmergencyContact.Text, "Call Tomas"},
	}
	for _, check := range checks {
		if check.got != check.want {
			t.Errorf("%s normalized to %q, want %q", check.name, check.got, check.want)
		}
	}
}

func TestValidateBlankEmergencyTextIsAbsent(t *testing.T) {
	t.Parallel()

	patient := patientWith(t, nil)
	patient.EmergencyContact = &EmergencyContact{Text: "   "}
	if errs := patient.Validate(sampleNow); len(errs) != 0 {
		t.Errorf("Validate errors = %v, want none", errs)
	}
	if patient.EmergencyContact != nil {
		t.Errorf("emergency contact = %+v, want nil", patient.EmergencyContact)
	}
}

func TestValidateAgeAroundBirthday(t *testing.T) {
	t.Parallel()

	// sampleNow is 2026-12-04; the ages on the day before and after also
	// agree. computed is the age on 2026-12-04, reported on a mismatch.
	cases := []struct {
		dateOfBirth string
		age         int
		agrees      bool
		computed    int
	}{
		{"1974-12-04", 52, true, 52},
		{"1974-12-04", 51, true, 52},
		{"1974-12-04", 53, false, 52},
		{"1974-12-05", 51, true, 51},
		{"1974-12-05", 52, true, 51},
		{"1974-12-05", 50, false, 51},
		{"1974-12-06", 51, true, 51},
		{"1974-12-06", 52, false, 51},
		{"1974-12-03", 52, true, 52},
		{"1974-12-03", 51, false, 52},
		{"2026-12-04", 0, true, 0},
		{"2026-12-04", 1, false, 0},
		{"2025-12-05", 0, true, 0},
		{"2025-12-05", 1, true, 0},
		{"2025-12-06", 0, true, 0},
		{"2025-12-06", 1, false, 0},
	}
	for _, tc := range cases {
		name := fmt.Sprintf("%s age %d", tc.dateOfBirth, tc.age)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := patientWith(t, map[string]any{"dateOfBirth": tc.dateOfBirth, "age": tc.age}).Validate(sampleNow)
			var want FieldErrors
			if !tc.agrees {
				want = FieldErrors{{Field: "age", Code: FieldCodeAgeMismatch, Args: []any{tc.computed}}}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Validate = %v %v, want %v %v", got, argsOf(got), want, argsOf(want))
			}
		})
	}
}

func TestValidateAgeOnLeapDayBirth(t *testing.T) {
	t.Parallel()

	now := time.Date(2026, 2, 28, 12, 0, 0, 0, time.UTC)
	for _, age := range []int{25, 26} {
		patient := patientWith(t, map[string]any{"dateOfBirth": "2000-02-29", "age": age})
		if errs := patient.Validate(now); len(errs) != 0 {
			t.Errorf("born 2000-02-29, age %d on 2026-02-28: errors %v, want none", age, errs)
		}
	}
}

func TestDecodeAndValidatePatient(t *testing.T) {
	t.Parallel()

	input := `{"firstName":5,"lastName":"Ruiz","age":"30","gender":"robot","ssn":"000",
		"contact":{"email":"ana@example.org","phone":12},"allergies":["", "dust"],"bloodType":"Q"}`
	_, got := DecodeAndValidatePatient(json.RawMessage(input), sampleNow)

	want := FieldErrors{
		{Field: "firstName", Code: FieldCodeMustBeString},
		{Field: "age", Code: FieldCodeMustBeInteger},
		{Field: "contact.phone", Code: FieldCodeMustBeString},
		{Field: "ssn", Code: FieldCodeUnknownField},
		{Field: "gender", Code: FieldCodeInvalidGender},
		{Field: "allergies[0]", Code: FieldCodeEmptyItem},
		{Field: "bloodType", Code: FieldCodeInvalidBloodType},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors =\n%v\nwant\n%v", got, want)
	}
}

func TestDecodeAndValidatePatientNotObject(t *testing.T) {
	t.Parallel()

	patient, errs := DecodeAndValidatePatient(json.RawMessage(`[1]`), sampleNow)
	if patient != nil {
		t.Errorf("patient = %+v, want nil", patient)
	}
	want := FieldErrors{{Field: "", Code: FieldCodeMustBeObject}}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("errors = %v, want %v", errs, want)
	}
}

func TestDecodePatientSampleShapes(t *testing.T) {
	t.Parallel()

	_, errs := DecodeAndValidatePatient(json.RawMessage(`{"firstName":"Elena","lastName":"Ortega","age":30,
		"gender":"masculino","contact":{"email":"e@example.org","phone":"555 0142 12"},"ssn":"000-00-0000"}`), sampleNow)
	want := FieldErrors{{Field: "ssn", Code: FieldCodeUnknownField}}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("errors = %v, want %v", errs, want)
	}

	patient, errs := DecodeAndValidatePatient(json.RawMessage(`{"firstName":"Elena","lastName":"Ortega","age":30,
		"gender":"masculino","contact":{"email":"e@example.org","phone":"555 0142 12"}}`), sampleNow)
	if len(errs) != 0 {
		t.Fatalf("errors = %v, want none", errs)
	}
	if patient.Gender != GenderMale {
		t.Errorf("gender masculino normalized to %q, want %q", patient.Gender, GenderMale)
	}
}

func TestFieldErrorCodesUnique(t *testing.T) {
	t.Parallel()

	seen := map[string]bool{}
	for _, code := range FieldErrorCodes() {
		if seen[code] {
			t.Errorf("code %q listed twice", code)
		}
		seen[code] = true
	}
}
