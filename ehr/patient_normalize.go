package ehr

import (
	"strings"
)

// normalize trims every string field and list item, writes gender and
// bloodType in canonical form when they are recognized, and drops a free-text
// emergency contact that is blank. Answers are left as given.
func (p *Patient) normalize() {
	for _, field := range []*string{
		&p.FirstName, &p.LastName, &p.Gender, &p.DateOfBirth,
		&p.Contact.Email, &p.Contact.Phone, &p.Contact.Address,
		&p.MedicalHistory, &p.SocialHistory, &p.FamilyHistory, &p.BloodType, &p.MaritalStatus,
		&p.InsuranceProvider, &p.InsurancePolicyNumber, &p.PrimaryCarePhysician,
		&p.Identifiers.EHRPatientID, &p.Identifiers.MRN,
	} {
		*field = strings.TrimSpace(*field)
	}
	for _, list := range [][]string{p.Allergies, p.Medications, p.Symptoms} {
		for i := range list {
			list[i] = strings.TrimSpace(list[i])
		}
	}

	if gender, ok := NormalizeGender(p.Gender); ok {
		p.Gender = gender
	}
	if bloodType, ok := canonicalBloodType(p.BloodType); ok {
		p.BloodType = bloodType
	}
	p.normalizeEmergencyContact()
}

func (p *Patient) normalizeEmergencyContact() {
	contact := p.EmergencyContact
	if contact == nil {
		return
	}

	wasText := contact.Text != ""
	for _, field := range []*string{&contact.Text, &contact.Name, &contact.Phone, &contact.Relationship} {
		*field = strings.TrimSpace(*field)
	}
	if wasText && contact.Text == "" && contact.Name == "" && contact.Phone == "" && contact.Relationship == "" {
		p.EmergencyContact = nil
	}
}
