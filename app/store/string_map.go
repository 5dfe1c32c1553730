package store

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
)

// StringMap is a jsonb column of string values.
type StringMap map[string]string

// Value encodes the map as JSON for the database.
func (m StringMap) Value() (driver.Value, error) {
	if m == nil {
		return "{}", nil
	}
	encoded, err := json.Marshal(map[string]string(m))

	return string(encoded), err
}

// Scan decodes a jsonb value.
func (m *StringMap) Scan(src any) error {
	var raw []byte
	switch v := src.(type) {
	case []byte:
		raw = v
	case string:
		raw = []byte(v)
	case nil:
		*m = StringMap{}
		return nil
	default:
		return fmt.Errorf("scanning StringMap from %T", src)
	}

	return json.Unmarshal(raw, (*map[string]string)(m))
}
