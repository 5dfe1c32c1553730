package app

import (
	"time"

	"ehrbridge/ehr"
)

// previewBirthDate is the sample patient's date of birth; the age is
// computed from it on the day of the preview, so the two always agree.
var previewBirthDate = time.Date(1974, time.March, 18, 0, 0, 0, 0, time.UTC)

// previewPatient returns the synthetic patient the mapping preview applies
// a draft to. Every field has a value, including two clinic answers, so
// each rule shows what it would send.
func previewPatient(now time.Time) *ehr.Patient {
	return &ehr.Patient{
		FirstName:   "Elena",
		LastName:    "Vasquez-Moore",
		Age:         yearsBetween(previewBirthDate, now),
		Gender:      "female",
		DateOfBirth: previewBirthDate.Format(time.DateOnly),
		Contact: ehr.Contact{
			Email: "elena.vm@example.org", Phone: "+1 415 555 0142", Address: "12 Harbor View Rd, Oakland, CA 94607",
		},
		Allergies:      []string{"Penicillin", "Tree nuts"},
		Medications:    []string{"Levothyroxine 50mcg daily", "Atorvastatin 20mg nightly"},
		Symptoms:       []string{"Intermittent chest tightness", "Shortness of breath on stairs"},
		MedicalHistory: "Hypothyroidism (2009); hyperlipidemia (2016); cholecystectomy (2012)",
		SocialHistory:  "Never smoker; 2-3 glasses of wine per week; works night shifts",
		FamilyHistory:  "Father: myocardial infarction at 58; mother: type 2 diabetes",
		BloodType:      "A-",
		MaritalStatus:  "Divorced",
		EmergencyContact: &ehr.EmergencyContact{
			Name: "Tomas Moore", Phone: "+1 415 555 0177", Relationship: "Son",
		},
		InsuranceProvider:     "Kaiser Permanente",
		InsurancePolicyNumber: "KP-88412093",
		PrimaryCarePhysician:  "Dr. Amal Haddad",
		Identifiers:           ehr.Identifiers{MRN: "MRN-55012"},
		Answers:               map[string]any{"smoking": "never", "preferred_language": "Spanish"},
	}
}

// yearsBetween is the age on day of someone born on birth.
func yearsBetween(birth, day time.Time) int {
	years := day.Year() - birth.Year()
	if day.Month() < birth.Month() || day.Month() == birth.Month() && day.Day() < birth.Day() {
		years--
	}

	return years
}
