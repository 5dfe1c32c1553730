package ehr

import (
	"bytes"
	"encoding/json"
	"math"
	"math/big"
	"sort"
	"strings"
	"unicode/utf8"
)

// AgeNotGiven is the Age that DecodePatient stores when the input has no age
// or a null one, so that Validate reports "required" while 0 stays a valid
// age. json.Marshal writes it as -9223372036854775808 on 64-bit platforms,
// which decodes back to AgeNotGiven, so an incomplete patient also survives
// a JSON round trip.
const AgeNotGiven = math.MinInt

// Field error codes that DecodePatient emits.
const (
	FieldCodeMustBeObject         = "must_be_object"
	FieldCodeUnknownField         = "unknown_field"
	FieldCodeConflictingAlias     = "conflicting_alias"
	FieldCodeMustBeString         = "must_be_string"
	FieldCodeMustBeInteger        = "must_be_integer"
	FieldCodeMustBeStringList     = "must_be_string_list"
	FieldCodeMustBeStringOrObject = "must_be_string_or_object"
	FieldCodeInvalidAnswerKey     = "invalid_answer_key"
	FieldCodeInvalidAnswerValue   = "invalid_answer_value"
)

// medicationsAlias is the other input name of "medications".
const medicationsAlias = "currentMedications"

// maxKeyInPath caps how much of an input key a field path repeats.
const maxKeyInPath = 64

// memberDecoder decodes the value of one input key into p, reporting errors
// at path.
type memberDecoder func(p *Patient, raw json.RawMessage, path string) FieldErrors

// patientMember is one known top-level key of the patient object.
type patientMember struct {
	key    string
	decode memberDecoder
}

// patientMembers lists the known top-level keys in Patient field order, so
// decoding errors come out in that order too.
var patientMembers = []patientMember{
	{"firstName", asString(func(p *Patient) *string { return &p.FirstName })},
	{"lastName", asString(func(p *Patient) *string { return &p.LastName })},
	{"age", decodeAge},
	{"gender", asString(func(p *Patient) *string { return &p.Gender })},
	{"dateOfBirth", asString(func(p *Patient) *string { return &p.DateOfBirth })},
	{"contact", decodeContact},
	{"allergies", asStringList(func(p *Patient) *[]string { return &p.Allergies })},
	{"medications", asStringList(func(p *Patient) *[]string { return &p.Medications })},
	{medicationsAlias, asStringList(func(p *Patient) *[]string { return &p.Medications })},
	{"symptoms", asStringList(func(p *Patient) *[]string { return &p.Symptoms })},
	{"medicalHistory", asString(func(p *Patient) *string { return &p.MedicalHistory })},
	{"socialHistory", asString(func(p *Patient) *string { return &p.SocialHistory })},
	{"familyHistory", asString(func(p *Patient) *string { return &p.FamilyHistory })},
	{"bloodType", asString(func(p *Patient) *string { return &p.BloodType })},
	{"maritalStatus", asString(func(p *Patient) *string { return &p.MaritalStatus })},
	{"emergencyContact", decodeEmergencyContact},
	{"insuranceProvider", asString(func(p *Patient) *string { return &p.InsuranceProvider })},
	{"insurancePolicyNumber", asString(func(p *Patient) *string { return &p.InsurancePolicyNumber })},
	{"primaryCarePhysician", asString(func(p *Patient) *string { return &p.PrimaryCarePhysician })},
	{"identifiers", decodeIdentifiers},
	{"answers", decodeAnswers},
}

func asString(field func(p *Patient) *string) memberDecoder {
	return func(p *Patient, raw json.RawMessage, path string) FieldErrors {
		return decodeString(raw, path, field(p))
	}
}

func asStringList(field func(p *Patient) *[]string) memberDecoder {
	return func(p *Patient, raw json.RawMessage, path string) FieldErrors {
		return decodeStringList(raw, path, field(p))
	}
}

// DecodePatient builds a Patient from a JSON object and reports every
// problem at once: each unknown key, each value of the wrong JSON type and a
// medications list sent under both of its names. JSON null counts as absent.
// A missing age is stored as AgeNotGiven. The patient is returned with every
// field that decoded, even when errs is not empty, so that Validate can
// check the rest. A raw value that is not a JSON object returns a nil patient
// and one must_be_object error on the empty field path.
func DecodePatient(raw json.RawMessage) (*Patient, FieldErrors) {
	members, ok := decodeObject(raw)
	if !ok {
		return nil, FieldErrors{{Field: "", Code: FieldCodeMustBeObject}}
	}

	patient := &Patient{Age: AgeNotGiven}
	var errs FieldErrors
	known := make(map[string]bool, len(patientMembers))
	for _, member := range patientMembers {
		known[member.key] = true
		value, given := members[member.key]
		if !given || isJSONNull(value) {
			continue
		}
		if member.key == medicationsAlias && isGiven(members, "medications") {
			errs = append(errs, FieldError{Field: medicationsAlias, Code: FieldCodeConflictingAlias, Args: []any{"medications"}})
			continue
		}
		errs = append(errs, member.decode(patient, value, member.key)...)
	}

	return patient, append(errs, unknownKeys("", members, known)...)
}

// decodeObject decodes raw as a JSON object. ok is false for any other value.
func decodeObject(raw json.RawMessage) (members map[string]json.RawMessage, ok bool) {
	trimmed := bytes.TrimSpace(raw)
	if !bytes.HasPrefix(trimmed, []byte("{")) {
		return nil, false
	}
	if err := json.Unmarshal(trimmed, &members); err != nil {
		return nil, false
	}

	return members, true
}

func isJSONNull(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// isGiven reports whether key is present with a value other than null.
func isGiven(members map[string]json.RawMessage, key string) bool {
	value, ok := members[key]

	return ok && !isJSONNull(value)
}

// jsonStartsWith reports whether the JSON value in raw begins with one of the
// bytes in first. The first byte identifies the value's JSON type.
func jsonStartsWith(raw json.RawMessage, first string) bool {
	trimmed := bytes.TrimSpace(raw)

	return len(trimmed) > 0 && bytes.IndexByte([]byte(first), trimmed[0]) >= 0
}

// unknownKeys returns one unknown_field error per key of members that known
// does not contain, sorted by key, with paths below prefix.
func unknownKeys(prefix string, members map[string]json.RawMessage, known map[string]bool) FieldErrors {
	var keys []string
	for key := range members {
		if !known[key] {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)

	errs := make(FieldErrors, 0, len(keys))
	for _, key := range keys {
		errs = append(errs, FieldError{Field: joinKey(prefix, key), Code: FieldCodeUnknownField})
	}

	return errs
}

// joinKey appends an input key to a field path, cutting keys longer than
// maxKeyInPath characters so an error never repeats a whole oversized key.
func joinKey(prefix, key string) string {
	if utf8.RuneCountInString(key) > maxKeyInPath {
		key = string([]rune(key)[:maxKeyInPath]) + "…"
	}
	if prefix == "" {
		return key
	}

	return prefix + "." + key
}

func decodeString(raw json.RawMessage, path string, target *string) FieldErrors {
	if !jsonStartsWith(raw, `"`) || json.Unmarshal(raw, target) != nil {
		return FieldErrors{{Field: path, Code: FieldCodeMustBeString}}
	}

	return nil
}

// decodeStringList decodes an array of strings. An empty array is stored as
// nil like an absent list, so that a decoded patient survives a JSON round
// trip unchanged.
func decodeStringList(raw json.RawMessage, path string, target *[]string) FieldErrors {
	var items []*string
	if !jsonStartsWith(raw, "[") || json.Unmarshal(raw, &items) != nil {
		return FieldErrors{{Field: path, Code: FieldCodeMustBeStringList}}
	}

	list := make([]string, 0, len(items))
	for _, item := range items {
		if item == nil {
			return FieldErrors{{Field: path, Code: FieldCodeMustBeStringList}}
		}
		list = append(list, *item)
	}
	if len(list) > 0 {
		*target = list
	}

	return nil
}

// decodeAge accepts a JSON number with no fractional part, written in any
// form (30, 30.0, 3e1). Whole numbers beyond the int range are stored as the
// nearest int that is not AgeNotGiven, which Validate reports as out of range.
func decodeAge(p *Patient, raw json.RawMessage, path string) FieldErrors {
	if !jsonStartsWith(raw, "-0123456789") {
		return FieldErrors{{Field: path, Code: FieldCodeMustBeInteger}}
	}

	literal := string(bytes.TrimSpace(raw))
	number, _, err := big.ParseFloat(literal, 10, 256, big.ToNearestEven)
	if err != nil || number.Sign() == 0 && hasNonZeroMantissa(literal) {
		// The second case is a non-zero number so small that it parsed as 0.
		return FieldErrors{{Field: path, Code: FieldCodeMustBeInteger}}
	}
	if number.IsInf() {
		// The exponent overflowed, so the number is whole and far too large.
		p.Age = clampedAge(number.Signbit())
		return nil
	}

	whole, accuracy := number.Int64()
	switch {
	case !number.IsInt() || accuracy == big.Exact && number.Acc() != big.Exact:
		// A whole number in the int64 range parses exactly at 256 bits, so
		// a rounded one had a fraction, as in 30.000…01.
		return FieldErrors{{Field: path, Code: FieldCodeMustBeInteger}}
	case accuracy != big.Exact || whole < math.MinInt || whole > math.MaxInt:
		p.Age = clampedAge(whole < 0)
	default:
		p.Age = int(whole)
	}

	return nil
}

// hasNonZeroMantissa reports whether the digits of a JSON number literal
// before its exponent include one that is not 0.
func hasNonZeroMantissa(literal string) bool {
	mantissa, _, _ := strings.Cut(strings.ToLower(literal), "e")

	return strings.ContainsAny(mantissa, "123456789")
}

// clampedAge returns the out-of-range age stored for a whole number beyond
// the int range: the largest int, or the smallest one that is not
// AgeNotGiven.
func clampedAge(negative bool) int {
	if negative {
		return math.MinInt + 1
	}

	return math.MaxInt
}

// stringMember is one string-valued key of a nested object.
type stringMember struct {
	key    string
	target *string
}

// decodeStringObject decodes a JSON object whose known keys all hold
// strings, reporting wrong types in the order of members and then each
// unknown key.
func decodeStringObject(raw json.RawMessage, path string, members []stringMember) FieldErrors {
	values, ok := decodeObject(raw)
	if !ok {
		return FieldErrors{{Field: path, Code: FieldCodeMustBeObject}}
	}

	var errs FieldErrors
	known := make(map[string]bool, len(members))
	for _, member := range members {
		known[member.key] = true
		if value, given := values[member.key]; given && !isJSONNull(value) {
			errs = append(errs, decodeString(value, joinKey(path, member.key), member.target)...)
		}
	}

	return append(errs, unknownKeys(path, values, known)...)
}

func decodeContact(p *Patient, raw json.RawMessage, path string) FieldErrors {
	return decodeStringObject(raw, path, []stringMember{
		{"email", &p.Contact.Email},
		{"phone", &p.Contact.Phone},
		{"address", &p.Contact.Address},
	})
}

func decodeIdentifiers(p *Patient, raw json.RawMessage, path string) FieldErrors {
	return decodeStringObject(raw, path, []stringMember{
		{"ehrPatientId", &p.Identifiers.EHRPatientID},
		{"mrn", &p.Identifiers.MRN},
	})
}

// decodeEmergencyContact accepts free text or an object of name, phone and
// relationship. A blank text counts as absent.
func decodeEmergencyContact(p *Patient, raw json.RawMessage, path string) FieldErrors {
	switch {
	case jsonStartsWith(raw, `"`):
		var text string
		if errs := decodeString(raw, path, &text); errs != nil {
			return errs
		}
		if strings.TrimSpace(text) != "" {
			p.EmergencyContact = &EmergencyContact{Text: text}
		}
		return nil
	case jsonStartsWith(raw, "{"):
		contact := &EmergencyContact{}
		p.EmergencyContact = contact
		return decodeStringObject(raw, path, []stringMember{
			{"name", &contact.Name},
			{"phone", &contact.Phone},
			{"relationship", &contact.Relationship},
		})
	default:
		return FieldErrors{{Field: path, Code: FieldCodeMustBeStringOrObject}}
	}
}

// decodeAnswers decodes the clinic-defined answers. Numbers are kept as
// json.Number so they are written back exactly as received. Answers with an
// invalid key or value are reported and left out, and null answers count as
// absent.
func decodeAnswers(p *Patient, raw json.RawMessage, path string) FieldErrors {
	values, ok := decodeObject(raw)
	if !ok {
		return FieldErrors{{Field: path, Code: FieldCodeMustBeObject}}
	}

	keys := make([]string, 0, len(values))
	for key := range values {
		keys = append(keys, key)
	}
	sort.Strings(keys)

	var errs FieldErrors
	answers := make(map[string]any, len(values))
	for _, key := range keys {
		if !IsValidAnswerKey(key) {
			errs = append(errs, FieldError{Field: joinKey(path, key), Code: FieldCodeInvalidAnswerKey})
			continue
		}
		if isJSONNull(values[key]) {
			continue
		}
		value, ok := decodeAnswerValue(values[key])
		if !ok {
			errs = append(errs, FieldError{Field: joinKey(path, key), Code: FieldCodeInvalidAnswerValue})
			continue
		}
		answers[key] = value
	}
	if len(answers) > 0 {
		p.Answers = answers
	}

	return errs
}

// decodeAnswerValue decodes a string, number, boolean or array of those.
func decodeAnswerValue(raw json.RawMessage) (any, bool) {
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.UseNumber()
	var value any
	if err := decoder.Decode(&value); err != nil {
		return nil, false
	}
	if !isAnswerValue(value) {
		return nil, false
	}

	return value, true
}

// isAnswerValue reports whether value is a valid answer: a string, a number,
// a bool, or a list of those with no nil item. It accepts what JSON decoding
// produces (json.Number, float64, []any) and the Go types a caller may set
// directly (int, int64, []string).
func isAnswerValue(value any) bool {
	switch v := value.(type) {
	case []string:
		return true
	case []any:
		for _, item := range v {
			if !isAnswerScalar(item) {
				return false
			}
		}
		return true
	default:
		return isAnswerScalar(value)
	}
}

func isAnswerScalar(value any) bool {
	switch value.(type) {
	case string, json.Number, float64, int, int64, bool:
		return true
	default:
		return false
	}
}
