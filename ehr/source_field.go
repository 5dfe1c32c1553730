package ehr

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// PrefixedSourceMarker starts a source path in the prefixed style some EHR
// mappings use: "p_gender" reads the same value as "gender".
const PrefixedSourceMarker = "p_"

// AnswersPrefix starts a source path that reads a clinic-defined answer.
const AnswersPrefix = "answers."

// sourceReaders maps each canonical source path to the function that reads
// it from a patient. A reader returns nil when the patient has no value.
var sourceReaders = map[string]func(p *Patient) any{
	"firstName":                     func(p *Patient) any { return p.FirstName },
	"lastName":                      func(p *Patient) any { return p.LastName },
	"name":                          func(p *Patient) any { return strings.TrimSpace(p.FirstName + " " + p.LastName) },
	"age":                           func(p *Patient) any { return p.Age },
	"gender":                        func(p *Patient) any { return p.Gender },
	"dateOfBirth":                   func(p *Patient) any { return p.DateOfBirth },
	"dob":                           func(p *Patient) any { return p.DateOfBirth },
	"contact.email":                 func(p *Patient) any { return p.Contact.Email },
	"contact.phone":                 func(p *Patient) any { return p.Contact.Phone },
	"contact.address":               func(p *Patient) any { return p.Contact.Address },
	"allergies":                     func(p *Patient) any { return p.Allergies },
	"medications":                   func(p *Patient) any { return p.Medications },
	"currentMedications":            func(p *Patient) any { return p.Medications },
	"symptoms":                      func(p *Patient) any { return p.Symptoms },
	"medicalHistory":                func(p *Patient) any { return p.MedicalHistory },
	"socialHistory":                 func(p *Patient) any { return p.SocialHistory },
	"familyHistory":                 func(p *Patient) any { return p.FamilyHistory },
	"bloodType":                     func(p *Patient) any { return p.BloodType },
	"maritalStatus":                 func(p *Patient) any { return p.MaritalStatus },
	"emergencyContact":              func(p *Patient) any { return p.EmergencyContact.String() },
	"emergencyContact.name":         func(p *Patient) any { return p.EmergencyContact.field("name") },
	"emergencyContact.phone":        func(p *Patient) any { return p.EmergencyContact.field("phone") },
	"emergencyContact.relationship": func(p *Patient) any { return p.EmergencyContact.field("relationship") },
	"insuranceProvider":             func(p *Patient) any { return p.InsuranceProvider },
	"insurancePolicyNumber":         func(p *Patient) any { return p.InsurancePolicyNumber },
	"primaryCarePhysician":          func(p *Patient) any { return p.PrimaryCarePhysician },
	"identifiers.ehrPatientId":      func(p *Patient) any { return p.Identifiers.EHRPatientID },
	"identifiers.mrn":               func(p *Patient) any { return p.Identifiers.MRN },
}

// SourceFields returns every canonical source path a mapping rule may read,
// sorted. Paths under "answers." are open-ended and not listed.
func SourceFields() []string {
	paths := make([]string, 0, len(sourceReaders))
	for path := range sourceReaders {
		paths = append(paths, path)
	}
	sort.Strings(paths)

	return paths
}

// CanonicalSource strips the prefixed-style marker, so "p_dob" becomes "dob".
func CanonicalSource(path string) string {
	return strings.TrimPrefix(path, PrefixedSourceMarker)
}

// IsKnownSource reports whether path (with or without the "p_" marker) names
// a field a patient can carry.
func IsKnownSource(path string) bool {
	canonical := CanonicalSource(path)
	if key, ok := strings.CutPrefix(canonical, AnswersPrefix); ok {
		return IsValidAnswerKey(key)
	}
	_, ok := sourceReaders[canonical]

	return ok
}

// Lookup reads the value at a source path. The value is a string, an int or
// a []string; ok is false when the path is unknown or the patient has no
// value there (empty string, empty list).
func (p *Patient) Lookup(path string) (value any, ok bool) {
	canonical := CanonicalSource(path)
	if key, isAnswer := strings.CutPrefix(canonical, AnswersPrefix); isAnswer {
		return p.lookupAnswer(key)
	}
	read, known := sourceReaders[canonical]
	if !known {
		return nil, false
	}
	value = read(p)

	return value, hasValue(value)
}

func (p *Patient) lookupAnswer(key string) (any, bool) {
	raw, ok := p.Answers[key]
	if !ok || raw == nil {
		return nil, false
	}
	value := normalizeAnswer(raw)

	return value, hasValue(value)
}

// normalizeAnswer turns a decoded JSON answer into a string or []string.
func normalizeAnswer(raw any) any {
	switch v := raw.(type) {
	case []any:
		items := make([]string, 0, len(v))
		for _, item := range v {
			if item != nil {
				items = append(items, fmt.Sprint(item))
			}
		}
		return items
	case []string:
		return v
	case bool:
		if v {
			return "yes"
		}
		return "no"
	default:
		return fmt.Sprint(v)
	}
}

func hasValue(value any) bool {
	switch v := value.(type) {
	case nil:
		return false
	case string:
		return strings.TrimSpace(v) != ""
	case []string:
		return len(v) > 0
	default:
		return true
	}
}

// String renders the contact as free text: the text itself, or
// "name (phone) - relationship" with the missing parts left out.
func (c *EmergencyContact) String() string {
	if c == nil {
		return ""
	}
	if c.Text != "" {
		return c.Text
	}
	out := c.Name
	if c.Phone != "" {
		out = strings.TrimSpace(out + " (" + c.Phone + ")")
	}
	if c.Relationship != "" {
		out = strings.TrimSpace(out + " - " + c.Relationship)
	}

	return out
}

func (c *EmergencyContact) field(name string) string {
	if c == nil {
		return ""
	}
	switch name {
	case "name":
		return c.Name
	case "phone":
		return c.Phone
	default:
		return c.Relationship
	}
}

var answerKeyPattern = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$`)

// IsValidAnswerKey reports whether key may name a clinic-defined question:
// 1 to 64 letters, digits, "_", "." or "-", not starting with "." or "-".
func IsValidAnswerKey(key string) bool {
	return answerKeyPattern.MatchString(key)
}
