package ehr

import "testing"

func TestNormalizeGenderSynonyms(t *testing.T) {
	t.Parallel()

	cases := map[string][]string{
		GenderMale: {
			"male", "m", "man", "boy", "masculino", "hombre", "varón", "varon", "h",
			"M", "Male", " MASCULINO ", "Varón", "VARÓN", "Hombre",
		},
		GenderFemale: {
			"female", "f", "woman", "girl", "femenino", "mujer",
			"F", "Female", "FEMENINO", " Mujer ",
		},
		GenderOther: {
			"other", "otro", "otra", "non-binary", "nonbinary", "no binario", "x",
			"Non-Binary", "NON BINARY", "No  Binario", "no-binario", "X",
		},
		GenderUnknown: {
			"unknown", "u", "unspecified", "desconocido", "no especificado",
			"prefer not to say", "prefiero no decirlo",
			"U", "Unknown", "No Especificado", "Prefer Not To Say", "PREFIERO NO DECIRLO",
		},
	}
	for want, inputs := range cases {
		for _, input := range inputs {
			got, ok := NormalizeGender(input)
			if !ok {
				t.Errorf("NormalizeGender(%q) not recognized, want %q", input, want)
				continue
			}
			if got != want {
				t.Errorf("NormalizeGender(%q) = %q, want %q", input, got, want)
			}
		}
	}
}

func TestNormalizeGenderRejects(t *testing.T) {
	t.Parallel()

	for _, input := range []string{"", " ", "mal", "females", "xy", "male female", "42", "señor"} {
		if got, ok := NormalizeGender(input); ok {
			t.Errorf("NormalizeGender(%q) = %q, want not recognized", input, got)
		}
	}
}
