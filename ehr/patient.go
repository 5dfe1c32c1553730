package ehr

// Patient is the canonical intake record that every EHR mapping reads from.
// DecodePatient builds it from JSON and Validate checks it; a Patient that
// passed both is what the mapping engine and the deliverer receive.
type Patient struct {
	FirstName             string            `json:"firstName"`
	LastName              string            `json:"lastName"`
	Age                   int               `json:"age"`
	Gender                string            `json:"gender"`
	DateOfBirth           string            `json:"dateOfBirth,omitempty"`
	Contact               Contact           `json:"contact"`
	Allergies             []string          `json:"allergies,omitempty"`
	Medications           []string          `json:"medications,omitempty"`
	Symptoms              []string          `json:"symptoms,omitempty"`
	MedicalHistory        string            `json:"medicalHistory,omitempty"`
	SocialHistory         string            `json:"socialHistory,omitempty"`
	FamilyHistory         string            `json:"familyHistory,omitempty"`
	BloodType             string            `json:"bloodType,omitempty"`
	MaritalStatus         string            `json:"maritalStatus,omitempty"`
	EmergencyContact      *EmergencyContact `json:"emergencyContact,omitempty"`
	InsuranceProvider     string            `json:"insuranceProvider,omitempty"`
	InsurancePolicyNumber string            `json:"insurancePolicyNumber,omitempty"`
	PrimaryCarePhysician  string            `json:"primaryCarePhysician,omitempty"`
	Identifiers           Identifiers       `json:"identifiers,omitzero"`
	Answers               map[string]any    `json:"answers,omitempty"`
}

// Contact is how the clinic reaches the patient.
type Contact struct {
	Email   string `json:"email"`
	Phone   string `json:"phone"`
	Address string `json:"address,omitempty"`
}

// EmergencyContact is either free text (Text set, the rest empty) or a person
// with a name, phone and relationship.
type EmergencyContact struct {
	Text         string `json:"-"`
	Name         string `json:"name,omitempty"`
	Phone        string `json:"phone,omitempty"`
	Relationship string `json:"relationship,omitempty"`
}

// Identifiers are ids the patient already has in the EHR, when known.
type Identifiers struct {
	EHRPatientID string `json:"ehrPatientId,omitempty"`
	MRN          string `json:"mrn,omitempty"`
}
