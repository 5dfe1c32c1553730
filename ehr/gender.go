package ehr

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Canonical gender values stored in Patient.Gender after validation.
const (
	GenderMale    = "male"
	GenderFemale  = "female"
	GenderOther   = "other"
	GenderUnknown = "unknown"
)

// genderSynonyms maps each accepted word, in the folded form genderKey
// produces, to its canonical gender. English and Spanish words are listed.
var genderSynonyms = map[string]string{
	"male": GenderMale, "m": GenderMale, "man": GenderMale, "boy": GenderMale,
	"masculino": GenderMale, "hombre": GenderMale, "varon": GenderMale, "h": GenderMale,
	"nino": GenderMale,

	"female": GenderFemale, "f": GenderFemale, "woman": GenderFemale, "girl": GenderFemale,
	"femenino": GenderFemale, "mujer": GenderFemale, "nina": GenderFemale,

	"other": GenderOther, "otro": GenderOther, "otra": GenderOther, "non binary": GenderOther,
	"nonbinary": GenderOther, "no binario": GenderOther, "no binaria": GenderOther, "x": GenderOther,

	"unknown": GenderUnknown, "u": GenderUnknown, "unspecified": GenderUnknown,
	"not specified": GenderUnknown, "desconocido": GenderUnknown, "desconocida": GenderUnknown,
	"no especificado": GenderUnknown, "no especificada": GenderUnknown,
	"prefer not to say": GenderUnknown, "prefiero no decirlo": GenderUnknown,
	"prefiero no decir": GenderUnknown,
}

// NormalizeGender maps an English or Spanish gender word or common synonym
// ("M", "mujer", "varón", "non-binary", "prefer not to say") to one of
// "male", "female", "other" or "unknown". Case, accents, hyphens and extra
// spaces are ignored. ok is false when the word is not recognized.
func NormalizeGender(s string) (canonical string, ok bool) {
	canonical, ok = genderSynonyms[genderKey(s)]

	return canonical, ok
}

// genderKey folds s to lower case without accents, with hyphens and
// underscores read as spaces and runs of spaces collapsed to one.
func genderKey(s string) string {
	stripAccents := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(stripAccents, strings.ToLower(s))
	if err != nil {
		return ""
	}
	folded = strings.NewReplacer("-", " ", "_", " ").Replace(folded)

	return strings.Join(strings.Fields(folded), " ")
}
