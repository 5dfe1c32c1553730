package app

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestMaskPayload(t *testing.T) {
	cases := []struct {
		name     string
		input    string
		expected string
	}{
		{"string keeps its first character", `"Elena"`, `"E•••"`},
		{"first character beyond ASCII", `"Ñandú"`, `"Ñ•••"`},
		{"empty string", `""`, `"•••"`},
		{"integer", `52`, `"•••"`},
		{"decimal", `-1.5e3`, `"•••"`},
		{"true", `true`, `"•••"`},
		{"false", `false`, `"•••"`},
		{"null stays", `null`, `null`},
		{"empty object", `{}`, `{}`},
		{"empty array", `[]`, `[]`},
		{
			"keys and their order kept",
			`{"lastName": "Vasquez", "firstName": "Elena", "age": 52}`,
			`{"lastName":"V•••","firstName":"E•••","age":"•••"}`,
		},
		{
			"nested objects and arrays keep their shape",
			`{"patientData": {"allergies": ["Penicillin", "Tree nuts"], "contact": {"email": "e@example.org", "phone": null}}, "targetEndpoints": []}`,
			`{"patientData":{"allergies":["P•••","T•••"],"contact":{"email":"e•••","phone":null}},"targetEndpoints":[]}`,
		},
		{"array of mixed values", `[1, "x", false, null, [2]]`, `["•••","x•••","•••",null,["•••"]]`},
		{"escaped characters in keys", `{"a\"b": "\u00e9t\u00e9"}`, `{"a\"b":"é•••"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			masked, err := maskPayload([]byte(tc.input))
			if err != nil {
				t.Fatalf("maskPayload(%s): %v", tc.input, err)
			}
			if string(masked) != tc.expected {
				t.Errorf("maskPayload(%s) = %s, want %s", tc.input, masked, tc.expected)
			}
			if !json.Valid(masked) {
				t.Errorf("maskPayload(%s) is not valid JSON: %s", tc.input, masked)
			}
		})
	}
}

func TestMaskPayloadHidesSampleValues(t *testing.T) {
	raw := `{"patientData": {"firstName": "Zzcanaryfirst", "contact": {"phone": "+1 415 555 0199"}, "age": 41}}`
	masked, err := maskPayload([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	for _, value := range []string{"Zzcanaryfirst", "canary", "415", "555", "0199", "41"} {
		if strings.Contains(string(masked), value) {
			t.Errorf("masked payload %s contains %q", masked, value)
		}
	}
}

func TestMaskPayloadRejectsInvalidJSON(t *testing.T) {
	for _, input := range []string{``, `{"a": }`, `{"a": 1} {"b": 2}`, `[1, 2`, `{"a" 1}`} {
		if masked, err := maskPayload([]byte(input)); err == nil {
			t.Errorf("maskPayload(%q) = %s, want an error", input, masked)
		}
	}
}
