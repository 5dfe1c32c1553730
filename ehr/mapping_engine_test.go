package ehr

import (
	"encoding/json"
	"reflect"
	"testing"
)

// mappingTestPatient returns a synthetic patient with every field filled.
func mappingTestPatient() *Patient {
	return &Patient{
		FirstName:   "Elena",
		LastName:    "Vasquez-Moore",
		Age:         52,
		Gender:      "female",
		DateOfBirth: "1974-03-18",
		Contact: Contact{
			Email:   "elena.vm@example.com",
			Phone:   "+1 415 555 0142",
			Address: "12 Example Street, Springfield",
		},
		Allergies:             []string{"Penicillin", "Tree nuts"},
		Medications:           []string{"Lisinopril 10 mg", "Metformin 500 mg"},
		Symptoms:              []string{"Headache", "Fatigue"},
		MedicalHistory:        "Type 2 diabetes since 2015",
		SocialHistory:         "Non-smoker",
		FamilyHistory:         "Father: hypertension",
		BloodType:             "A+",
		MaritalStatus:         "married",
		EmergencyContact:      &EmergencyContact{Name: "Tomas Moore", Phone: "+1 415 555 0177", Relationship: "Son"},
		InsuranceProvider:     "Example Health",
		InsurancePolicyNumber: "EXH-000123",
		PrimaryCarePhysician:  "Dr. Sample",
		Answers: map[string]any{
			"preferred_language": "Spanish",
			"pets":               []any{"dog", "cat"},
			"smoker":             false,
		},
	}
}

// athenaTestMapping is an athena-style mapping in the full form.
const athenaTestMapping = `{"endpoints": [
  {"name": "patient_demographics", "method": "POST", "path": "/v1/{practiceId}/patients",
   "encoding": "form", "identifiesPatient": true, "patientIdPath": "0.patientid",
   "fields": [
     {"source": "firstName", "target": "PATIENT_FIRST_NAME"},
     {"source": "lastName", "target": "PATIENT_LAST_NAME"},
     {"source": "name", "target": "PATIENT_IDENT_NAME", "transform": {"type": "template", "template": "{firstName} {lastName}"}},
     {"source": "gender", "target": "GENDER_OF_PATIENT"},
     {"source": "age", "target": "AGE_PATIENT"},
     {"source": "dateOfBirth", "target": "DATE_OF_BIRTH_PATIENT", "transform": {"type": "dateFormat", "format": "MM/DD/YYYY"}},
     {"source": "contact.email", "target": "PATIENT_EMAIL_ID"},
     {"source": "contact.phone", "target": "TELEPHONE_NUMBER_PATIENT"}
   ]},
  {"name": "medical_history", "method": "POST", "path": "/v1/{practiceId}/chart/{patientId}/medicalhistory",
   "encoding": "form",
   "fields": [
     {"source": "medicalHistory", "target": "HISTORY_MEDICAL_PATIENT"},
     {"source": "allergies", "target": "ALLERGIES_PATIENT", "transform": {"type": "join", "separator": ", "}}
   ]}
]}`

// allscriptsTestMapping is a Unity-style mapping with "p_" sources.
const allscriptsTestMapping = `{"endpoints": [
  {"name": "patient_demographics", "action": "SavePatient", "identifiesPatient": true,
   "patientIdPath": "0.savepatientinfo.0.PatientID",
   "fields": [
     {"source": "p_name", "target": "NAME_OF_PAT", "transform": {"type": "template", "template": "{lastName}, {firstName}"}},
     {"source": "p_gender", "target": "GENDER_PAT", "transform": {"type": "valueMap",
       "values": {"male": "M", "female": "F", "other": "O", "unknown": "U"}}},
     {"source": "p_dob", "target": "BIRTHDATE_OF_PAT", "transform": {"type": "dateFormat", "format": "YYYY-MM-DD"}},
     {"source": "p_age", "target": "AGE_PAT"}
   ]},
  {"name": "medical_history", "action": "SaveHistory",
   "fields": [
     {"source": "p_allergies", "target": "ALLERGIES_PAT", "transform": {"type": "join", "separator": "; "}},
     {"source": "p_emergencyContact", "target": "EMERGENCY_CONTACT_PAT"}
   ]}
]}`

// mustParseValidMapping parses and validates a full-form mapping.
func mustParseValidMapping(t *testing.T, raw string) Config {
	t.Helper()
	cfg, errs := ParseMappingConfig(json.RawMessage(raw), Endpoint{}, nil)
	if len(errs) > 0 {
		t.Fatalf("parsing mapping: %v", errs)
	}
	if errs := cfg.Validate(); len(errs) > 0 {
		t.Fatalf("validating mapping: %v", errs)
	}

	return cfg
}

func TestDefaultMappingsApply(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name     string
		mapping  string
		endpoint string
		want     []MappedField
	}{
		{
			name: "athena demographics", mapping: athenaTestMapping, endpoint: "patient_demographics",
			want: []MappedField{
				{Target: "PATIENT_FIRST_NAME", Value: "Elena"},
				{Target: "PATIENT_LAST_NAME", Value: "Vasquez-Moore"},
				{Target: "PATIENT_IDENT_NAME", Value: "Elena Vasquez-Moore"},
				{Target: "GENDER_OF_PATIENT", Value: "female"},
				{Target: "AGE_PATIENT", Value: "52"},
				{Target: "DATE_OF_BIRTH_PATIENT", Value: "03/18/1974"},
				{Target: "PATIENT_EMAIL_ID", Value: "elena.vm@example.com"},
				{Target: "TELEPHONE_NUMBER_PATIENT", Value: "+1 415 555 0142"},
			},
		},
		{
			name: "athena medical history", mapping: athenaTestMapping, endpoint: "medical_history",
			want: []MappedField{
				{Target: "HISTORY_MEDICAL_PATIENT", Value: "Type 2 diabetes since 2015"},
				{Target: "ALLERGIES_PATIENT", Value: "Penicillin, Tree nuts"},
			},
		},
		{
			name: "allscripts demographics", mapping: allscriptsTestMapping, endpoint: "patient_demographics",
			want: []MappedField{
				{Target: "NAME_OF_PAT", Value: "Vasquez-Moore, Elena"},
				{Target: "GENDER_PAT", Value: "F"},
				{Target: "BIRTHDATE_OF_PAT", Value: "1974-03-18"},
				{Target: "AGE_PAT", Value: "52"},
			},
		},
		{
			name: "allscripts medical history", mapping: allscriptsTestMapping, endpoint: "medical_history",
			want: []MappedField{
				{Target: "ALLERGIES_PAT", Value: "Penicillin; Tree nuts"},
				{Target: "EMERGENCY_CONTACT_PAT", Value: "Tomas Moore (+1 415 555 0177) - Son"},
			},
		},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := mustParseValidMapping(t, tc.mapping)
			endpoint, ok := cfg.EndpointNamed(tc.endpoint)
			if !ok {
				t.Fatalf("%s: endpoint %q missing", tc.name, tc.endpoint)
			}

			got := endpoint.Apply(mappingTestPatient())
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s: Apply =\n%v\nwant\n%v", tc.name, got, tc.want)
			}
			if !endpoint.HasValues(mappingTestPatient()) {
				t.Errorf("%s: HasValues = false, want true", tc.name)
			}
		})
	}
}

func TestApplyRuleValues(t *testing.T) {
	t.Parallel()

	template := func(text string) *Transform { return &Transform{Type: TransformTemplate, Template: text} }
	valueMap := &Transform{Type: TransformValueMap, Values: map[string]string{"female": "F", "male": "M", "unknown": ""}}
	cases := []struct {
		name    string
		rule    FieldRule
		patient func(p *Patient)
		want    string
		present bool
	}{
		{name: "string as is", rule: FieldRule{Source: "contact.email"}, want: "elena.vm@example.com", present: true},
		{name: "prefixed source", rule: FieldRule{Source: "p_bloodType"}, want: "A+", present: true},
		{name: "int in decimal", rule: FieldRule{Source: "age"}, want: "52", present: true},
		{name: "list joined by default", rule: FieldRule{Source: "symptoms"}, want: "Headache, Fatigue", present: true},
		{name: "derived name", rule: FieldRule{Source: "name"}, want: "Elena Vasquez-Moore", present: true},
		{name: "empty source left out", rule: FieldRule{Source: "insuranceProvider"}, patient: func(p *Patient) { p.InsuranceProvider = "" }},
		{name: "empty list left out", rule: FieldRule{Source: "allergies"}, patient: func(p *Patient) { p.Allergies = nil }},
		{name: "missing contact left out", rule: FieldRule{Source: "emergencyContact"}, patient: func(p *Patient) { p.EmergencyContact = nil }},
		{name: "free text contact", rule: FieldRule{Source: "emergencyContact"}, patient: func(p *Patient) { p.EmergencyContact = &EmergencyContact{Text: "Call the front desk"} }, want: "Call the front desk", present: true},
		{name: "answer string", rule: FieldRule{Source: "answers.preferred_language"}, want: "Spanish", present: true},
		{name: "answer list", rule: FieldRule{Source: "answers.pets"}, want: "dog, cat", present: true},
		{name: "answer boolean", rule: FieldRule{Source: "answers.smoker"}, want: "no", present: true},
		{name: "answer missing", rule: FieldRule{Source: "answers.absent"}},

		{name: "join separator", rule: FieldRule{Source: "medications", Transform: &Transform{Type: TransformJoin, Separator: " | "}}, want: "Lisinopril 10 mg | Metformin 500 mg", present: true},
		{name: "join default separator", rule: FieldRule{Source: "allergies", Transform: &Transform{Type: TransformJoin}}, want: "Penicillin, Tree nuts", present: true},
		{name: "join answer string", rule: FieldRule{Source: "answers.preferred_language", Transform: &Transform{Type: TransformJoin, Separator: "; "}}, want: "Spanish", present: true},
		{name: "join answer list", rule: FieldRule{Source: "answers.pets", Transform: &Transform{Type: TransformJoin, Separator: "/"}}, want: "dog/cat", present: true},

		{name: "template all parts", rule: FieldRule{Source: "name", Transform: template("{lastName}, {firstName}")}, want: "Vasquez-Moore, Elena", present: true},
		{name: "template missing first", rule: FieldRule{Source: "name", Transform: template("{lastName}, {firstName}")}, patient: func(p *Patient) { p.FirstName = "" }, want: "Vasquez-Moore", present: true},
		{name: "template missing last", rule: FieldRule{Source: "name", Transform: template("{lastName}, {firstName}")}, patient: func(p *Patient) { p.LastName = "" }, want: "Elena", present: true},
		{name: "template all missing", rule: FieldRule{Source: "name", Transform: template("{lastName}, {firstName}")}, patient: func(p *Patient) { p.FirstName, p.LastName = "", "" }},
		{name: "template middle gap", rule: FieldRule{Source: "firstName", Transform: template("{firstName} {maritalStatus} {lastName}")}, patient: func(p *Patient) { p.MaritalStatus = "" }, want: "Elena Vasquez-Moore", present: true},
		{name: "template trailing dash", rule: FieldRule{Source: "emergencyContact.name", Transform: template("{emergencyContact.name} - {emergencyContact.relationship}")}, patient: func(p *Patient) { p.EmergencyContact.Relationship = "" }, want: "Tomas Moore", present: true},
		{name: "template leading dash", rule: FieldRule{Source: "emergencyContact.name", Transform: template("{emergencyContact.name} - {emergencyContact.relationship}")}, patient: func(p *Patient) { p.EmergencyContact.Name = "" }, want: "Son", present: true},
		{name: "template ignores source value", rule: FieldRule{Source: "gender", Transform: template("{p_firstName}")}, want: "Elena", present: true},
		{name: "template present without source", rule: FieldRule{Source: "insuranceProvider", Transform: template("{firstName}")}, patient: func(p *Patient) { p.InsuranceProvider = "" }, want: "Elena", present: true},
		{name: "template list placeholder", rule: FieldRule{Source: "allergies", Transform: template("Allergies: {allergies}")}, want: "Allergies: Penicillin, Tree nuts", present: true},
		{name: "template constant with source", rule: FieldRule{Source: "gender", Transform: template("intake")}, want: "intake", present: true},
		{name: "template constant without source", rule: FieldRule{Source: "bloodType", Transform: template("intake")}, patient: func(p *Patient) { p.BloodType = "" }},

		{name: "value map match", rule: FieldRule{Source: "gender", Transform: valueMap}, want: "F", present: true},
		{name: "value map case and spaces", rule: FieldRule{Source: "gender", Transform: valueMap}, patient: func(p *Patient) { p.Gender = " MALE " }, want: "M", present: true},
		{name: "value map unmatched", rule: FieldRule{Source: "gender", Transform: valueMap}, patient: func(p *Patient) { p.Gender = "nonbinary" }, want: "nonbinary", present: true},
		{name: "value map to empty left out", rule: FieldRule{Source: "gender", Transform: valueMap}, patient: func(p *Patient) { p.Gender = "unknown" }},

		{name: "date format us", rule: FieldRule{Source: "dateOfBirth", Transform: &Transform{Type: TransformDateFormat, Format: "MM/DD/YYYY"}}, want: "03/18/1974", present: true},
		{name: "date format compact", rule: FieldRule{Source: "p_dob", Transform: &Transform{Type: TransformDateFormat, Format: "YYYYMMDD"}}, want: "19740318", present: true},
		{name: "date format dotted", rule: FieldRule{Source: "dob", Transform: &Transform{Type: TransformDateFormat, Format: "DD.MM.YYYY"}}, want: "18.03.1974", present: true},
		{name: "date format bad date unchanged", rule: FieldRule{Source: "dob", Transform: &Transform{Type: TransformDateFormat, Format: "MM/DD/YYYY"}}, patient: func(p *Patient) { p.DateOfBirth = "1974-02-30" }, want: "1974-02-30", present: true},
		{name: "unknown transform unchanged", rule: FieldRule{Source: "gender", Transform: &Transform{Type: "shout"}}, want: "female", present: true},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			patient := mappingTestPatient()
			if tc.patient != nil {
				tc.patient(patient)
			}
			rule := tc.rule
			rule.Target = "TARGET"
			endpoint := Endpoint{Fields: []FieldRule{rule}}

			got := endpoint.Apply(patient)
			if !tc.present {
				if len(got) != 0 {
					t.Errorf("%s: Apply = %v, want no fields", tc.name, got)
				}
				if endpoint.HasValues(patient) {
					t.Errorf("%s: HasValues = true, want false", tc.name)
				}
				return
			}
			want := []MappedField{{Target: "TARGET", Value: tc.want}}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: Apply = %v, want %v", tc.name, got, want)
			}
			if !endpoint.HasValues(patient) {
				t.Errorf("%s: HasValues = false, want true", tc.name)
			}
		})
	}
}

func TestApplyKeepsRuleOrder(t *testing.T) {
	t.Parallel()

	endpoint := Endpoint{Fields: []FieldRule{
		{Source: "lastName", Target: "B"},
		{Source: "insuranceProvider", Target: "SKIPPED"},
		{Source: "firstName", Target: "A"},
		{Source: "age", Target: "C"},
	}}
	patient := mappingTestPatient()
	patient.InsuranceProvider = ""

	got := endpoint.Apply(patient)
	want := []MappedField{{Target: "B", Value: "Vasquez-Moore"}, {Target: "A", Value: "Elena"}, {Target: "C", Value: "52"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Apply = %v, want %v", got, want)
	}
}

func TestApplyNilPatient(t *testing.T) {
	t.Parallel()

	endpoint := Endpoint{Fields: []FieldRule{{Source: "firstName", Target: "A"}}}
	if got := endpoint.Apply(nil); got != nil {
		t.Errorf("Apply(nil) = %v, want nil", got)
	}
	if endpoint.HasValues(nil) {
		t.Error("HasValues(nil) = true, want false")
	}
}

// TestApplyEmptyPatient leaves out the demographics endpoints, because
// Patient.Lookup reports age 0 as a value.
func TestApplyEmptyPatient(t *testing.T) {
	t.Parallel()

	endpoints := []Endpoint{
		mustParseValidMapping(t, athenaTestMapping).Endpoints[1],
		mustParseValidMapping(t, allscriptsTestMapping).Endpoints[1],
	}
	for _, endpoint := range endpoints {
		if got := endpoint.Apply(&Patient{}); len(got) != 0 {
			t.Errorf("endpoint %s: Apply(empty patient) = %v, want no fields", endpoint.Name, got)
		}
		if endpoint.HasValues(&Patient{}) {
			t.Errorf("endpoint %s: HasValues(empty patient) = true, want false", endpoint.Name)
		}
	}
}

func TestApplyMalformedTemplateNoPanic(t *testing.T) {
	t.Parallel()

	for _, tmpl := range []string{"{", "}", "{firstName", "{{firstName}}", "{}", "{firstName} }", "{unknown}"} {
		endpoint := Endpoint{Fields: []FieldRule{{Source: "firstName", Target: "A", Transform: &Transform{Type: TransformTemplate, Template: tmpl}}}}
		_ = endpoint.Apply(mappingTestPatient())
		_ = endpoint.HasValues(mappingTestPatient())
	}
}

func BenchmarkApplyAthenaDemographics(b *testing.B) {
	cfg, errs := ParseMappingConfig(json.RawMessage(athenaTestMapping), Endpoint{}, nil)
	if len(errs) > 0 {
		b.Fatalf("parsing mapping: %v", errs)
	}
	endpoint := cfg.Endpoints[0]
	patient := mappingTestPatient()

	b.ReportAllocs()
	for b.Loop() {
		_ = endpoint.Apply(patient)
	}
}
