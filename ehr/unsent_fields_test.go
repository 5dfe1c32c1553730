package ehr

import (
	"reflect"
	"testing"
)

func TestUnsentFields(t *testing.T) {
	t.Parallel()
	patient := &Patient{
		FirstName: "Ana", LastName: "Ruiz", Age: 30, Gender: "female", DateOfBirth: "1996-02-01",
		Contact:          Contact{Email: "ana@example.com", Phone: "555-010-1111"},
		Allergies:        []string{"Latex"},
		Medications:      []string{"Ibuprofen"},
		EmergencyContact: &EmergencyContact{Name: "Luis", Phone: "555-010-2222"},
		Answers:          map[string]any{"smoking": "never", "pets": "cat"},
	}
	endpoints := []Endpoint{{Fields: []FieldRule{
		{Source: "p_name", Target: "NAME", Transform: &Transform{Type: TransformTemplate, Template: "{lastName}, {gender}"}},
		{Source: "dob", Target: "DOB"},
		{Source: "p_currentMedications", Target: "MEDS"},
		{Source: "emergencyContact.name", Target: "EC"},
		{Source: "answers.smoking", Target: "SMOKES"},
	}}}

	got := UnsentFields(endpoints, patient)
	want := []string{"age", "allergies", "answers.pets", "contact.email", "contact.phone"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("UnsentFields = %v, want %v", got, want)
	}
	everything := []Endpoint{{Fields: []FieldRule{{Source: "age", Target: "A"}, {Source: "firstName", Target: "F"}}}}
	if got := UnsentFields(everything, &Patient{FirstName: "Ana", Age: 3}); len(got) != 0 {
		t.Errorf("UnsentFields with every field mapped = %v, want none", got)
	}
}
