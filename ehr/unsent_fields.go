package ehr

import (
	"sort"
	"strings"
)

// patientFields are the fields a patient record carries itself, as opposed
// to derived sources ("name", "dob") and aliases ("currentMedications").
// identifiers.ehrPatientId is left out: it routes a send, it is not data.
var patientFields = []string{
	"firstName", "lastName", "age", "gender", "dateOfBirth", "contact.email", "contact.phone",
	"contact.address", "allergies", "medications", "symptoms", "medicalHistory", "socialHistory",
	"familyHistory", "bloodType", "maritalStatus", "emergencyContact", "insuranceProvider",
	"insurancePolicyNumber", "primaryCarePhysician", "identifiers.mrn",
}

// sourceReads names the patient fields a derived or alias source reads.
var sourceReads = map[string][]string{
	"name":                          {"firstName", "lastName"},
	"dob":                           {"dateOfBirth"},
	"currentMedications":            {"medications"},
	"emergencyContact.name":         {"emergencyContact"},
	"emergencyContact.phone":        {"emergencyContact"},
	"emergencyContact.relationship": {"emergencyContact"},
}

// UnsentFields lists, sorted, the fields of p that have a value but that
// no rule of endpoints reads, so an answer can say what a send left out.
func UnsentFields(endpoints []Endpoint, p *Patient) []string {
	read := map[string]bool{}
	for _, endpoint := range endpoints {
		for _, rule := range endpoint.Fields {
			markRead(read, rule.Source)
			if rule.Transform != nil && rule.Transform.Type == TransformTemplate {
				for _, placeholder := range templatePlaceholders(rule.Transform.Template) {
					markRead(read, placeholder)
				}
			}
		}
	}

	var unsent []string
	for _, field := range patientFields {
		if _, ok := p.Lookup(field); ok && !read[field] {
			unsent = append(unsent, field)
		}
	}
	for key := range p.Answers {
		field := AnswersPrefix + key
		if _, ok := p.Lookup(field); ok && !read[field] {
			unsent = append(unsent, field)
		}
	}
	sort.Strings(unsent)

	return unsent
}

func markRead(read map[string]bool, source string) {
	canonical := CanonicalSource(source)
	read[canonical] = true
	for _, field := range sourceReads[canonical] {
		read[field] = true
	}
}

// templatePlaceholders returns the source paths a template names, up to its
// first malformed brace.
func templatePlaceholders(tmpl string) []string {
	var names []string
	rest := tmpl
	for {
		cut, err := cutPlaceholder(rest)
		if err != nil || !cut.found {
			return names
		}
		names = append(names, strings.TrimSpace(cut.name))
		rest = cut.after
	}
}
