package athena

import "ehrbridge/ehr"

// defaultPatientIDPath is where athena's patient-create answer,
// [{"patientid": "..."}], carries the new patient's id.
const defaultPatientIDPath = "0.patientid"

var patientEndpoint = ehr.Endpoint{
	Name:              "patient",
	Method:            "POST",
	Path:              "/v1/{practiceId}/patients",
	Encoding:          ehr.EncodingForm,
	IdentifiesPatient: true,
	PatientIDPath:     defaultPatientIDPath,
}

// DefaultMapping returns the mapping seeded for a new athena system: the
// patient's demographics, medical, social and family history, and
// insurance, each to its own athena endpoint.
func DefaultMapping() ehr.Config {
	join := &ehr.Transform{Type: ehr.TransformJoin, Separator: ", "}

	return ehr.Config{Endpoints: []ehr.Endpoint{
		{
			Name: "patient_demographics", Method: "POST", Path: "/v1/{practiceId}/patients",
			Encoding: ehr.EncodingForm, IdentifiesPatient: true, PatientIDPath: defaultPatientIDPath,
			Fields: []ehr.FieldRule{
				{Source: "firstName", Target: "PATIENT_FIRST_NAME"},
				{Source: "lastName", Target: "PATIENT_LAST_NAME"},
				{Source: "name", Target: "PATIENT_IDENT_NAME", Transform: &ehr.Transform{Type: ehr.TransformTemplate, Template: "{firstName} {lastName}"}},
				{Source: "gender", Target: "GENDER_OF_PATIENT"},
				{Source: "age", Target: "AGE_PATIENT"},
				{Source: "dateOfBirth", Target: "DATE_OF_BIRTH_PATIENT", Transform: &ehr.Transform{Type: ehr.TransformDateFormat, Format: "MM/DD/YYYY"}},
				{Source: "contact.email", Target: "PATIENT_EMAIL_ID"},
				{Source: "contact.phone", Target: "TELEPHONE_NUMBER_PATIENT"},
				{Source: "contact.address", Target: "PATIENT_LOCATION_ADDRESS"},
			},
		},
		{
			Name: "medical_history", Method: "POST", Path: "/v1/{practiceId}/chart/{patientId}/medicalhistory",
			Encoding: ehr.EncodingForm,
			Fields: []ehr.FieldRule{
				{Source: "medicalHistory", Target: "HISTORY_MEDICAL_PATIENT"},
				{Source: "allergies", Target: "ALLERGIES_PATIENT", Transform: join},
				{Source: "medications", Target: "PATIENT_MEDICATIONS_CURRENT", Transform: join},
				{Source: "symptoms", Target: "CURRENT_SYMPTOMS_PATIENT", Transform: join},
			},
		},
		{
			Name: "social_history", Method: "PUT", Path: "/v1/{practiceId}/chart/{patientId}/socialhistory",
			Encoding: ehr.EncodingForm,
			Fields: []ehr.FieldRule{
				{Source: "socialHistory", Target: "HISTORY_SOCIAL_PATIENT"},
				{Source: "bloodType", Target: "BLOOD_TYPE_PATIENT"},
				{Source: "maritalStatus", Target: "MARITAL_STATUS_PATIENT"},
			},
		},
		{
			Name: "family_history", Method: "PUT", Path: "/v1/{practiceId}/chart/{patientId}/familyhistory",
			Encoding: ehr.EncodingForm,
			Fields: []ehr.FieldRule{
				{Source: "familyHistory", Target: "HISTORY_FAMILY_PATIENT"},
			},
		},
		{
			Name: "insurance_info", Method: "POST", Path: "/v1/{practiceId}/patients/{patientId}/insurances",
			Encoding: ehr.EncodingForm,
			Fields: []ehr.FieldRule{
				{Source: "insuranceProvider", Target: "INSURANCE_PROVIDER_PATIENT"},
				{Source: "insurancePolicyNumber", Target: "POLICY_NUMBER_INSURANCE_PATIENT"},
				{Source: "primaryCarePhysician", Target: "PRIMARY_CARE_DOCTOR_PATIENT"},
				{Source: "emergencyContact", Target: "EMERGENCY_CONTACT_PATIENT"},
			},
		},
	}}
}
