package ehr

import "testing"

func TestTidyRenderedTemplate(t *testing.T) {
	t.Parallel()

	cases := map[string]string{
		"Vasquez-Moore, Elena":      "Vasquez-Moore, Elena",
		"Vasquez-Moore, ":           "Vasquez-Moore",
		", Elena":                   "Elena",
		"Elena  Vasquez-Moore":      "Elena Vasquez-Moore",
		"Elena     Vasquez-Moore":   "Elena Vasquez-Moore",
		"A, , C":                    "A, C",
		"A, , , D":                  "A, D",
		"Tomas Moore () - ":         "Tomas Moore ()",
		" - Son":                    "Son",
		" , - , ":                   "",
		"-5":                        "-5",
		"Vasquez-":                  "Vasquez-",
		"":                          "",
		"line one\nline two":        "line one\nline two",
		"  Tomas Moore - Son  ":     "Tomas Moore - Son",
		"Elena ,":                   "Elena",
		"Tomas (+1 415 555 0177) -": "Tomas (+1 415 555 0177)",
	}
	for input, want := range cases {
		if got := tidyRenderedTemplate(input); got != want {
			t.Errorf("tidyRenderedTemplate(%q) = %q, want %q", input, got, want)
		}
	}
}

func TestIsValidTemplate(t *testing.T) {
	t.Parallel()

	cases := map[string]bool{
		"{firstName} {lastName}":          true,
		"{lastName}, {firstName}":         true,
		"{p_firstName}":                   true,
		"{answers.preferred_language}":    true,
		"Allergies: {allergies}":          true,
		"constant text":                   true,
		"":                                false,
		"{firstName":                      false,
		"firstName}":                      false,
		"{first{Name}}":                   false,
		"{}":                              false,
		"{colour}":                        false,
		"{ firstName }":                   false,
		"{firstName} {answers.}":          false,
		"{firstName}} {lastName}":         false,
		"{emergencyContact.relationship}": true,
	}
	for tmpl, want := range cases {
		if got := isValidTemplate(tmpl); got != want {
			t.Errorf("isValidTemplate(%q) = %v, want %v", tmpl, got, want)
		}
	}
}

func TestIsValidDateFormat(t *testing.T) {
	t.Parallel()

	cases := map[string]bool{
		"MM/DD/YYYY":                           true,
		"YYYY-MM-DD":                           true,
		"DD.MM.YYYY":                           true,
		"YYYY MM DD":                           true,
		"YYYYMMDD":                             true,
		"/YYYY/MM/DD/":                         true,
		"":                                     false,
		"MM/DD":                                false,
		"MM/DD/YY":                             false,
		"MM/DD/YYYYY":                          false,
		"MM/MM/YYYY":                           false,
		"MM/DD/YYYY DD":                        false,
		"mm/dd/yyyy":                           false,
		"MM_DD_YYYY":                           false,
		"MM/DD/YYYY hh":                        false,
		"YYYY-MM-DD          -----           ": false,
	}
	for layout, want := range cases {
		if got := isValidDateFormat(layout); got != want {
			t.Errorf("isValidDateFormat(%q) = %v, want %v", layout, got, want)
		}
	}
}

func TestFormatDate(t *testing.T) {
	t.Parallel()

	cases := []struct {
		value, layout, want string
		ok                  bool
	}{
		{value: "1974-03-18", layout: "MM/DD/YYYY", want: "03/18/1974", ok: true},
		{value: "1974-03-18", layout: "YYYY-MM-DD", want: "1974-03-18", ok: true},
		{value: "0999-01-02", layout: "DD.MM.YYYY", want: "02.01.0999", ok: true},
		{value: "0007-10-31", layout: "YYYY/MM/DD", want: "0007/10/31", ok: true},
		{value: "0000-12-09", layout: "YYYY MM DD", want: "0000 12 09", ok: true},
		{value: "2000-02-29", layout: "YYYYMMDD", want: "20000229", ok: true},
		{value: "1974-3-18", layout: "MM/DD/YYYY", want: "1974-3-18"},
		{value: "03/18/1974", layout: "MM/DD/YYYY", want: "03/18/1974"},
		{value: "1974-13-01", layout: "MM/DD/YYYY", want: "1974-13-01"},
		{value: "", layout: "MM/DD/YYYY", want: ""},
	}
	for _, tc := range cases {
		got, ok := formatDate(tc.value, tc.layout)
		if got != tc.want {
			t.Errorf("formatDate(%q, %q) = %q, want %q", tc.value, tc.layout, got, tc.want)
		}
		if ok != tc.ok {
			t.Errorf("formatDate(%q, %q) ok = %v, want %v", tc.value, tc.layout, ok, tc.ok)
		}
	}
}

func TestMapValueSmallestKeyWins(t *testing.T) {
	t.Parallel()

	values := map[string]string{"Male": "first", "male": "second", " MALE ": "third"}
	for range 20 {
		if got := mapValue(values, "male"); got != "third" {
			t.Fatalf("mapValue with keys colliding = %q, want the value of the smallest key %q", got, "third")
		}
	}
}

func TestSourceKinds(t *testing.T) {
	t.Parallel()

	lists := map[string]bool{
		"allergies": true, "p_allergies": true, "medications": true, "currentMedications": true,
		"symptoms": true, "answers.pets": true, "p_answers.pets": true, "gender": false, "dob": false,
	}
	for source, want := range lists {
		if got := isListSource(source); got != want {
			t.Errorf("isListSource(%q) = %v, want %v", source, got, want)
		}
	}

	dates := map[string]bool{"dob": true, "p_dob": true, "dateOfBirth": true, "p_dateOfBirth": true, "age": false}
	for source, want := range dates {
		if got := isDateSource(source); got != want {
			t.Errorf("isDateSource(%q) = %v, want %v", source, got, want)
		}
	}
}
