package ehr

import (
	"encoding/json"
	"testing"
)

func TestEmergencyContactUnmarshal(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name  string
		input string
		want  EmergencyContact
	}{
		{"text", `"Tomas Moore, son, 415 555 0177"`, EmergencyContact{Text: "Tomas Moore, son, 415 555 0177"}},
		{"object", `{"name":"Tomas Moore","phone":"+1 415 555 0177","relationship":"Son"}`,
			EmergencyContact{Name: "Tomas Moore", Phone: "+1 415 555 0177", Relationship: "Son"}},
		{"object with name only", `{"name":"Tomas Moore"}`, EmergencyContact{Name: "Tomas Moore"}},
		{"empty object", `{}`, EmergencyContact{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got EmergencyContact
			if err := json.Unmarshal([]byte(tc.input), &got); err != nil {
				t.Fatalf("Unmarshal(%s) error: %v", tc.input, err)
			}
			if got != tc.want {
				t.Errorf("Unmarshal(%s) = %+v, want %+v", tc.input, got, tc.want)
			}
		})
	}
}

func TestEmergencyContactUnmarshalNullKeepsValue(t *testing.T) {
	t.Parallel()

	got := EmergencyContact{Text: "kept"}
	if err := json.Unmarshal([]byte(`null`), &got); err != nil {
		t.Fatalf("Unmarshal(null) error: %v", err)
	}
	if got.Text != "kept" {
		t.Errorf("Unmarshal(null) changed the contact to %+v", got)
	}
}

func TestEmergencyContactUnmarshalRejectsOtherTypes(t *testing.T) {
	t.Parallel()

	for _, input := range []string{`42`, `true`, `["Tomas"]`, `{"name": 7}`} {
		var got EmergencyContact
		if err := json.Unmarshal([]byte(input), &got); err == nil {
			t.Errorf("Unmarshal(%s) = %+v, want an error", input, got)
		}
	}
}

func TestEmergencyContactMarshal(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name    string
		contact EmergencyContact
		want    string
	}{
		{"text", EmergencyContact{Text: "Tomas Moore (son)"}, `"Tomas Moore (son)"`},
		{"object", EmergencyContact{Name: "Tomas Moore", Phone: "+1 415 555 0177", Relationship: "Son"},
			`{"name":"Tomas Moore","phone":"+1 415 555 0177","relationship":"Son"}`},
		{"object without phone", EmergencyContact{Name: "Tomas Moore"}, `{"name":"Tomas Moore"}`},
		{"empty", EmergencyContact{}, `{}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := json.Marshal(tc.contact)
			if err != nil {
				t.Fatalf("Marshal(%+v) error: %v", tc.contact, err)
			}
			if string(got) != tc.want {
				t.Errorf("Marshal(%+v) = %s, want %s", tc.contact, got, tc.want)
			}

			var back EmergencyContact
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatalf("Unmarshal(%s) error: %v", got, err)
			}
			if back != tc.contact {
				t.Errorf("round trip of %+v = %+v", tc.contact, back)
			}
		})
	}
}

func TestEmergencyContactMarshalThroughPointer(t *testing.T) {
	t.Parallel()

	got, err := json.Marshal(struct {
		Contact *EmergencyContact `json:"contact"`
	}{&EmergencyContact{Text: "Tomas"}})
	if err != nil {
		t.Fatalf("Marshal error: %v", err)
	}
	if string(got) != `{"contact":"Tomas"}` {
		t.Errorf("Marshal through pointer = %s, want the text form", got)
	}
}
