package ehr

import (
	"bytes"
	"encoding/json"
	"errors"
)

// emergencyContactObject is the JSON object form of EmergencyContact.
type emergencyContactObject struct {
	Name         string `json:"name,omitempty"`
	Phone        string `json:"phone,omitempty"`
	Relationship string `json:"relationship,omitempty"`
}

var errEmergencyContactShape = errors.New("emergency contact must be a JSON string or object")

// UnmarshalJSON reads a JSON string into Text, or an object into Name,
// Phone and Relationship. JSON null leaves the contact unchanged. Unknown
// object keys are ignored here, because DecodePatient reports them.
func (c *EmergencyContact) UnmarshalJSON(data []byte) error {
	trimmed := bytes.TrimSpace(data)
	switch {
	case bytes.Equal(trimmed, []byte("null")):
		return nil
	case bytes.HasPrefix(trimmed, []byte(`"`)):
		var text string
		if err := json.Unmarshal(trimmed, &text); err != nil {
			return err
		}
		*c = EmergencyContact{Text: text}
		return nil
	case bytes.HasPrefix(trimmed, []byte("{")):
		var object emergencyContactObject
		if err := json.Unmarshal(trimmed, &object); err != nil {
			return err
		}
		*c = EmergencyContact{Name: object.Name, Phone: object.Phone, Relationship: object.Relationship}
		return nil
	default:
		return errEmergencyContactShape
	}
}

// MarshalJSON writes Text as a JSON string when it is set, and otherwise an
// object of the non-empty Name, Phone and Relationship, so the output decodes
// back to the same value. A contact with Text set is written without its
// other fields, because the two forms are exclusive.
func (c EmergencyContact) MarshalJSON() ([]byte, error) {
	if c.Text != "" {
		return json.Marshal(c.Text)
	}

	return json.Marshal(emergencyContactObject{Name: c.Name, Phone: c.Phone, Relationship: c.Relationship})
}
