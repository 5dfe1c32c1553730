package allscripts

import "ehrbridge/ehr"

// defaultPatientIDPath is where Unity's SavePatient answer,
// [{"savepatientinfo": [{"PatientID": "..."}]}], carries the patient id.
const defaultPatientIDPath = "0.savepatientinfo.0.PatientID"

var patientEndpoint = ehr.Endpoint{
	Name:              "patient",
	Method:            "POST",
	Action:            "SavePatient",
	Encoding:          ehr.EncodingJSON,
	IdentifiesPatient: true,
	PatientIDPath:     defaultPatientIDPath,
}

// DefaultMapping returns the mapping seeded for a new Unity system. Its
// source fields use the "p_" prefixed style Allscripts mappings are
// written in.
func DefaultMapping() ehr.Config {
	join := &ehr.Transform{Type: ehr.TransformJoin, Separator: "; "}
	genderCodes := &ehr.Transform{Type: ehr.TransformValueMap, Values: map[string]string{
		"male": "M", "female": "F", "other": "O", "unknown": "U",
	}}

	return ehr.Config{Endpoints: []ehr.Endpoint{
		{
			Name: "patient_demographics", Method: "POST", Action: "SavePatient", Encoding: ehr.EncodingJSON,
			IdentifiesPatient: true, PatientIDPath: defaultPatientIDPath,
			Fields: []ehr.FieldRule{
				{Source: "p_name", Target: "NAME_OF_PAT", Transform: &ehr.Transform{Type: ehr.TransformTemplate, Template: "{lastName}, {firstName}"}},
				{Source: "firstName", Target: "FIRST_NAME_PAT"},
				{Source: "lastName", Target: "LAST_NAME_PAT"},
				{Source: "p_gender", Target: "GENDER_PAT", Transform: genderCodes},
				{Source: "p_age", Target: "AGE_PAT"},
				{Source: "p_dob", Target: "BIRTHDATE_OF_PAT", Transform: &ehr.Transform{Type: ehr.TransformDateFormat, Format: "YYYY-MM-DD"}},
				{Source: "contact.email", Target: "EMAIL_ID_PAT"},
				{Source: "contact.phone", Target: "PHONE_NUMBER_PAT"},
				{Source: "contact.address", Target: "ADDRESS_PAT"},
			},
		},
		{
			Name: "medical_history", Method: "POST", Action: "SaveHistory", Encoding: ehr.EncodingJSON,
			Fields: []ehr.FieldRule{
				{Source: "p_medicalHistory", Target: "HISTORY_MEDICAL_PAT"},
				{Source: "p_allergies", Target: "ALLERGIES_PAT", Transform: join},
				{Source: "p_currentMedications", Target: "CURRENT_MEDS_PAT", Transform: join},
				{Source: "symptoms", Target: "CURRENT_SYMPTOMS_PAT", Transform: join},
			},
		},
		{
			Name: "social_history", Method: "POST", Action: "SaveHistory", Encoding: ehr.EncodingJSON,
			Fields: []ehr.FieldRule{
				{Source: "p_socialHistory", Target: "SOCIAL_HISTORY_PAT"},
				{Source: "bloodType", Target: "BLOOD_TYPE_PAT"},
				{Source: "maritalStatus", Target: "MARITAL_STATUS_PAT"},
			},
		},
		{
			Name: "family_history", Method: "POST", Action: "SaveHistory", Encoding: ehr.EncodingJSON,
			Fields: []ehr.FieldRule{
				{Source: "p_familyHistory", Target: "FAMILY_HISTORY_PAT"},
			},
		},
		{
			Name: "insurance_info", Method: "POST", Action: "SaveInsurance", Encoding: ehr.EncodingJSON,
			Fields: []ehr.FieldRule{
				{Source: "p_insuranceProvider", Target: "PROVIDER_INSURANCE_PAT"},
				{Source: "p_insurancePolicyNumber", Target: "POLICY_NUM_INSURANCE_PAT"},
				{Source: "p_primaryCarePhysician", Target: "PRIMARY_CARE_DOC_PAT"},
				{Source: "p_emergencyContact", Target: "EMERGENCY_CONTACT_PAT"},
			},
		},
	}}
}
