package app

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestBulkCSVSeparatorAndListItems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		content   string
		separator rune
		allergies []string
		unknown   []string
	}{
		{"comma", "firstName,lastName,allergies\nAna,Ruiz,Latex; Dust\n", ',', []string{"Latex", "Dust"}, nil},
		{"semicolon", "firstName;lastName;allergies\nAna;Ruiz;Latex | Dust\n", ';', []string{"Latex", "Dust"}, nil},
		{"semicolon keeps ; inside a quoted cell", "firstName;allergies\nAna;\"Latex; Dust\"\n", ';', []string{"Latex; Dust"}, nil},
		{"tab", "firstName\tlastName\tallergies\nAna\t\tLatex; Dust\n", '\t', []string{"Latex", "Dust"}, nil},
		{"unknown columns", "firstName,ssn,contact.fax,allergies\nAna,1,2,Latex\n", ',', []string{"Latex"}, []string{"ssn", "contact.fax"}},
		{"header with byte order mark and quotes", "\ufeff\"firstName\";\"allergies\"\nAna;Latex|Dust\n", ';', []string{"Latex", "Dust"}, nil},
	}
	for _, tt := range tests {
		header, _, _ := strings.Cut(tt.content, "\n")
		if got := csvSeparator(header); got != tt.separator {
			t.Errorf("%s: separator %q, want %q", tt.name, got, tt.separator)
		}
		file, err := csvPatients(strings.NewReader(tt.content))
		if err != nil {
			t.Errorf("%s: reading: %v", tt.name, err)
			continue
		}
		if len(file.Patients) != 1 {
			t.Errorf("%s: %d patients, want 1", tt.name, len(file.Patients))
			continue
		}
		var patient struct {
			Allergies []string `json:"allergies"`
		}
		if err := json.Unmarshal(file.Patients[0], &patient); err != nil {
			t.Errorf("%s: decoding patient: %v", tt.name, err)
		}
		if !slices.Equal(patient.Allergies, tt.allergies) {
			t.Errorf("%s: allergies %q, want %q", tt.name, patient.Allergies, tt.allergies)
		}
		if !slices.Equal(file.UnknownColumns, tt.unknown) {
			t.Errorf("%s: unknown columns %q, want %q", tt.name, file.UnknownColumns, tt.unknown)
		}
	}
}

func TestBulkContentKey(t *testing.T) {
	t.Parallel()
	base := bulkContentKey("Athena", []byte("firstName\nAna\n"), nil)
	tests := []struct {
		name    string
		key     string
		sameKey bool
	}{
		{"same file and EHR", bulkContentKey("Athena", []byte("firstName\nAna\n"), nil), true},
		{"Windows line endings and a byte order mark", bulkContentKey("athena", []byte("\ufefffirstName\r\nAna\r\n"), nil), true},
		{"another EHR", bulkContentKey("Allscripts", []byte("firstName\nAna\n"), nil), false},
		{"another file", bulkContentKey("Athena", []byte("firstName\nMei\n"), nil), false},
		{"other endpoints", bulkContentKey("Athena", []byte("firstName\nAna\n"), []string{"medical_history"}), false},
	}
	for _, tt := range tests {
		if got := tt.key == base; got != tt.sameKey {
			t.Errorf("%s: same key %v, want %v", tt.name, got, tt.sameKey)
		}
		if len(tt.key) > maxIdempotencyKeyLength {
			t.Errorf("%s: key of %d characters is longer than %d", tt.name, len(tt.key), maxIdempotencyKeyLength)
		}
	}
}
