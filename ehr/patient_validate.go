package ehr

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	validation "github.com/go-ozzo/ozzo-validation/v4"
)

// Field error codes that Validate emits.
const (
	FieldCodeRequired         = "required"
	FieldCodeTooLong          = "too_long"
	FieldCodeOutOfRange       = "out_of_range"
	FieldCodeInvalidEmail     = "invalid_email"
	FieldCodeInvalidPhone     = "invalid_phone"
	FieldCodeInvalidGender    = "invalid_gender"
	FieldCodeInvalidDate      = "invalid_date"
	FieldCodeDateInFuture     = "date_in_future"
	FieldCodeDateTooEarly     = "date_too_early"
	FieldCodeAgeMismatch      = "age_mismatch"
	FieldCodeInvalidBloodType = "invalid_blood_type"
	FieldCodeTooManyItems     = "too_many_items"
	FieldCodeEmptyItem        = "empty_item"
)

// Limits that Validate enforces. Text lengths count characters (runes).
const (
	MinAge                  = 0
	MaxAge                  = 150
	MaxNameLength           = 100
	MaxShortTextLength      = 200
	MaxLongTextLength       = 10000
	MaxListItems            = 100
	MaxListItemLength       = 500
	MaxEmergencyContactText = 500
	MaxRelationshipLength   = 100
	MaxAnswers              = 200
	MaxAnswerTextLength     = 10000
	EarliestDateOfBirth     = "1870-01-01"
)

// dateOfBirthPattern is the only accepted date of birth format, YYYY-MM-DD.
// It also rejects the signs that time.Parse allows in a year.
var dateOfBirthPattern = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// FieldErrorCodes returns every code that DecodePatient and Validate can
// emit, so each can be given a message in every language.
func FieldErrorCodes() []string {
	return []string{
		FieldCodeMustBeObject, FieldCodeUnknownField, FieldCodeConflictingAlias,
		FieldCodeMustBeString, FieldCodeMustBeInteger, FieldCodeMustBeStringList,
		FieldCodeMustBeStringOrObject, FieldCodeInvalidAnswerKey, FieldCodeInvalidAnswerValue,
		FieldCodeRequired, FieldCodeTooLong, FieldCodeOutOfRange, FieldCodeInvalidEmail,
		FieldCodeInvalidPhone, FieldCodeInvalidGender, FieldCodeInvalidDate,
		FieldCodeDateInFuture, FieldCodeDateTooEarly, FieldCodeAgeMismatch,
		FieldCodeInvalidBloodType, FieldCodeTooManyItems, FieldCodeEmptyItem,
	}
}

// Validate normalizes the patient in place (trims every string, and writes
// gender and bloodType in canonical form when they are recognized), then
// checks every field against now and reports each failing one. The errors
// follow the order of the Patient struct's fields, with nested paths such as
// "contact.email" and "allergies[2]" in place.
func (p *Patient) Validate(now time.Time) FieldErrors {
	p.normalize()

	err := validation.ValidateStruct(p, p.fieldRules(now)...)
	if err == nil {
		return nil
	}

	return appendRuleErrors(nil, "", reflect.TypeFor[Patient](), err)
}

// DecodeAndValidatePatient runs DecodePatient and then Validate on what it
// decoded, and returns every error of both. A field that failed to decode is
// not reported again by Validate (a wrong-typed age is not also "required").
func DecodeAndValidatePatient(raw json.RawMessage, now time.Time) (*Patient, FieldErrors) {
	patient, errs := DecodePatient(raw)
	if patient == nil {
		return nil, errs
	}

	for _, fe := range patient.Validate(now) {
		if !coversField(errs, fe.Field) {
			errs = append(errs, fe)
		}
	}

	return patient, errs
}

// coversField reports whether errs has an error on field or on a path that
// contains it.
func coversField(errs FieldErrors, field string) bool {
	for _, fe := range errs {
		if fe.Field == field || strings.HasPrefix(field, fe.Field+".") || strings.HasPrefix(field, fe.Field+"[") {
			return true
		}
	}

	return false
}

// ruleError builds the ozzo error for code. args are the message arguments
// that follow the field path, kept in order under the "args" parameter.
func ruleError(code string, args ...any) validation.Error {
	err := validation.NewError(code, code)
	if len(args) > 0 {
		err = err.SetParams(map[string]any{"args": args})
	}

	return err
}

// appendRuleErrors flattens an ozzo error for the value of type valueType at
// path into FieldErrors, walking nested validation.Errors in the order of
// struct fields, list indexes and sorted map keys.
func appendRuleErrors(out FieldErrors, path string, valueType reflect.Type, err error) FieldErrors {
	switch e := err.(type) {
	case validation.Errors:
		for _, key := range ruleErrorKeys(e, valueType) {
			childPath, childType := ruleErrorChild(path, valueType, key)
			out = appendRuleErrors(out, childPath, childType, e[key])
		}
		return out
	case validation.Error:
		args, _ := e.Params()["args"].([]any)
		return append(out, FieldError{Field: path, Code: e.Code(), Args: args})
	default:
		// Every rule returns validation.Error values, so anything else is a
		// defect in the rules, not in the input.
		panic(fmt.Sprintf("ehr: patient validation rule failed at %q: %v", path, err))
	}
}

// ruleErrorKeys sorts the keys of a nested error by struct field index, list
// index or map key, according to the type they belong to.
func ruleErrorKeys(errs validation.Errors, valueType reflect.Type) []string {
	valueType = indirectType(valueType)
	keys := make([]string, 0, len(errs))
	for key := range errs {
		keys = append(keys, key)
	}

	switch valueType.Kind() {
	case reflect.Struct:
		sort.Slice(keys, func(i, j int) bool {
			return fieldIndexByJSONName(valueType, keys[i]) < fieldIndexByJSONName(valueType, keys[j])
		})
	case reflect.Slice:
		sort.Slice(keys, func(i, j int) bool { return ruleErrorListIndex(keys[i]) < ruleErrorListIndex(keys[j]) })
	default:
		sort.Strings(keys)
	}

	return keys
}

// ruleErrorChild returns the path and type of the member key of a value of type
// valueType at path: "contact.email", "allergies[2]" or "answers.q1".
func ruleErrorChild(path string, valueType reflect.Type, key string) (string, reflect.Type) {
	valueType = indirectType(valueType)
	switch valueType.Kind() {
	case reflect.Struct:
		index := fieldIndexByJSONName(valueType, key)
		if index < 0 {
			return joinKey(path, key), valueType
		}
		return joinKey(path, key), valueType.Field(index).Type
	case reflect.Slice:
		return path + "[" + key + "]", valueType.Elem()
	default:
		return joinKey(path, key), valueType.Elem()
	}
}

func indirectType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}

	return t
}

// fieldIndexByJSONName returns the index of the struct field whose JSON name is
// name, or -1. ozzo keys struct errors by the json tag.
func fieldIndexByJSONName(structType reflect.Type, name string) int {
	for i := range structType.NumField() {
		tagName, _, _ := strings.Cut(structType.Field(i).Tag.Get("json"), ",")
		if tagName == name {
			return i
		}
	}

	return -1
}

func ruleErrorListIndex(key string) int {
	index, err := strconv.Atoi(key)
	if err != nil {
		return -1
	}

	return index
}

// fieldRules lists the rules of every Patient field in struct order.
func (p *Patient) fieldRules(now time.Time) []*validation.FieldRules {
	return []*validation.FieldRules{
		validation.Field(&p.FirstName, requiredRule(), maxLengthRule(MaxNameLength)),
		validation.Field(&p.LastName, requiredRule(), maxLengthRule(MaxNameLength)),
		validation.Field(&p.Age, validation.By(func(any) error { return p.checkAge(now) })),
		validation.Field(&p.Gender, requiredRule(), validation.By(checkGender)),
		validation.Field(&p.DateOfBirth, validation.By(func(any) error { return checkDateOfBirth(p.DateOfBirth, now) })),
		validation.Field(&p.Contact, validation.By(func(any) error { return p.Contact.validate() })),
		validation.Field(&p.Allergies, listRules()...),
		validation.Field(&p.Medications, listRules()...),
		validation.Field(&p.Symptoms, listRules()...),
		validation.Field(&p.MedicalHistory, maxLengthRule(MaxLongTextLength)),
		validation.Field(&p.SocialHistory, maxLengthRule(MaxLongTextLength)),
		validation.Field(&p.FamilyHistory, maxLengthRule(MaxLongTextLength)),
		validation.Field(&p.BloodType, validation.By(checkBloodType)),
		validation.Field(&p.MaritalStatus, maxLengthRule(MaxShortTextLength)),
		validation.Field(&p.EmergencyContact, validation.By(func(any) error { return p.EmergencyContact.validate() })),
		validation.Field(&p.InsuranceProvider, maxLengthRule(MaxShortTextLength)),
		validation.Field(&p.InsurancePolicyNumber, maxLengthRule(MaxShortTextLength)),
		validation.Field(&p.PrimaryCarePhysician, maxLengthRule(MaxShortTextLength)),
		validation.Field(&p.Identifiers, validation.By(func(any) error { return p.Identifiers.validate() })),
		validation.Field(&p.Answers, validation.By(func(any) error { return validateAnswers(p.Answers) })),
	}
}

func requiredRule() validation.Rule {
	return validation.Required.ErrorObject(ruleError(FieldCodeRequired))
}

// maxLengthRule limits a string to max characters. Empty strings pass.
func maxLengthRule(max int) validation.Rule {
	return validation.RuneLength(0, max).ErrorObject(ruleError(FieldCodeTooLong, max))
}

// listRules limits a list's length and requires each item to be non-blank
// and short.
func listRules() []validation.Rule {
	return []validation.Rule{
		validation.Length(0, MaxListItems).ErrorObject(ruleError(FieldCodeTooManyItems, MaxListItems)),
		validation.Each(
			validation.Required.ErrorObject(ruleError(FieldCodeEmptyItem)),
			maxLengthRule(MaxListItemLength),
		),
	}
}

func (c *Contact) validate() error {
	return validation.ValidateStruct(c,
		validation.Field(&c.Email, requiredRule(), validation.By(checkEmail)),
		validation.Field(&c.Phone, requiredRule(), validation.By(checkPhone)),
		validation.Field(&c.Address, maxLengthRule(MaxLongTextLength)),
	)
}

// validate checks the free-text form's length, or the object form's fields.
func (c *EmergencyContact) validate() error {
	if c == nil {
		return nil
	}
	if c.Text != "" {
		return validation.Validate(c.Text, maxLengthRule(MaxEmergencyContactText))
	}

	return validation.ValidateStruct(c,
		validation.Field(&c.Name, requiredRule(), maxLengthRule(MaxShortTextLength)),
		validation.Field(&c.Phone, validation.By(checkPhone)),
		validation.Field(&c.Relationship, maxLengthRule(MaxRelationshipLength)),
	)
}

func (ids *Identifiers) validate() error {
	return validation.ValidateStruct(ids,
		validation.Field(&ids.EHRPatientID, maxLengthRule(MaxShortTextLength)),
		validation.Field(&ids.MRN, maxLengthRule(MaxShortTextLength)),
	)
}

// checkAge requires an age in range that agrees with a valid dateOfBirth.
func (p *Patient) checkAge(now time.Time) error {
	if p.Age == AgeNotGiven {
		return ruleError(FieldCodeRequired)
	}
	if p.Age < MinAge || p.Age > MaxAge {
		return ruleError(FieldCodeOutOfRange, MinAge, MaxAge)
	}
	if p.DateOfBirth == "" || checkDateOfBirth(p.DateOfBirth, now) != nil {
		return nil
	}

	birth, _ := time.Parse(time.DateOnly, p.DateOfBirth)
	if !ageAgreesWithBirth(p.Age, birth, now) {
		return ruleError(FieldCodeAgeMismatch, ageOn(birth, now))
	}

	return nil
}

// ageAgreesWithBirth reports whether age is the age on the day before, of or
// after now's date. The spare days absorb the time zone difference between
// the server and the patient.
func ageAgreesWithBirth(age int, birth, now time.Time) bool {
	for _, days := range []int{-1, 0, 1} {
		if ageOn(birth, now.AddDate(0, 0, days)) == age {
			return true
		}
	}

	return false
}

// ageOn returns the age in whole years on day's calendar date of a person
// born on birth's calendar date.
func ageOn(birth, day time.Time) int {
	age := day.Year() - birth.Year()
	if day.Month() < birth.Month() || day.Month() == birth.Month() && day.Day() < birth.Day() {
		age--
	}

	return age
}

// checkDateOfBirth accepts an empty value or a real YYYY-MM-DD date from
// EarliestDateOfBirth up to now's calendar date.
func checkDateOfBirth(value string, now time.Time) error {
	if value == "" {
		return nil
	}
	birth, err := time.Parse(time.DateOnly, value)
	if err != nil || !dateOfBirthPattern.MatchString(value) {
		return ruleError(FieldCodeInvalidDate)
	}

	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if birth.After(today) {
		return ruleError(FieldCodeDateInFuture)
	}
	if earliest, _ := time.Parse(time.DateOnly, EarliestDateOfBirth); birth.Before(earliest) {
		return ruleError(FieldCodeDateTooEarly, EarliestDateOfBirth)
	}

	return nil
}

func checkGender(value any) error {
	gender, _ := value.(string)
	if _, ok := NormalizeGender(gender); !ok {
		return ruleError(FieldCodeInvalidGender)
	}

	return nil
}

func checkBloodType(value any) error {
	bloodType, _ := value.(string)
	if _, ok := canonicalBloodType(bloodType); bloodType != "" && !ok {
		return ruleError(FieldCodeInvalidBloodType)
	}

	return nil
}

// bloodTypes are the canonical ABO and RhD blood types.
var bloodTypes = map[string]bool{
	"A+": true, "A-": true, "B+": true, "B-": true,
	"AB+": true, "AB-": true, "O+": true, "O-": true,
}

// canonicalBloodType writes a blood type in upper case without spaces, with
// the Unicode minus sign read as "-".
func canonicalBloodType(s string) (string, bool) {
	folded := strings.Join(strings.Fields(strings.ToUpper(s)), "")
	folded = strings.ReplaceAll(folded, "\u2212", "-")

	return folded, bloodTypes[folded]
}

// maxEmailLength is the longest address SMTP can carry (RFC 5321).
const maxEmailLength = 254

// checkEmail accepts an empty value or a bare address (no display name)
// whose domain is a host name of at least two labels.
func checkEmail(value any) error {
	email, _ := value.(string)
	if email == "" || isEmailAddress(email) {
		return nil
	}

	return ruleError(FieldCodeInvalidEmail)
}

func isEmailAddress(email string) bool {
	if len(email) > maxEmailLength || strings.ContainsAny(email, " \t\r\n") {
		return false
	}
	parsed, err := mail.ParseAddress(email)
	if err != nil || parsed.Name != "" || parsed.Address != email {
		return false
	}

	at := strings.LastIndex(email, "@")
	labels := strings.Split(email[at+1:], ".")
	if len(labels) < 2 {
		return false
	}
	for _, label := range labels {
		if !isDomainLabel(label) {
			return false
		}
	}

	return true
}

// isDomainLabel accepts letters (including non-ASCII ones), digits and inner
// hyphens.
func isDomainLabel(label string) bool {
	if label == "" || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
		return false
	}
	for _, r := range label {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' {
			return false
		}
	}

	return true
}

// Digits a phone number must have, not counting an extension (E.164 allows
// at most 15).
const (
	minPhoneDigits = 7
	maxPhoneDigits = 15
)

// phoneExtension matches a trailing extension: "x123", "ext 123", "ext. 123".
var phoneExtension = regexp.MustCompile(`(?i)^(.*?)\s*(?:x|ext\.?)\s*[0-9]{1,6}$`)

// checkPhone accepts an empty value or 7 to 15 digits with an optional
// leading "+", the separators space - . ( ), and an optional extension.
func checkPhone(value any) error {
	phone, _ := value.(string)
	if phone == "" || isPhoneNumber(phone) {
		return nil
	}

	return ruleError(FieldCodeInvalidPhone)
}

func isPhoneNumber(phone string) bool {
	number := phone
	if match := phoneExtension.FindStringSubmatch(phone); match != nil {
		number = match[1]
	}

	digits := 0
	for i, r := range number {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case strings.ContainsRune(" -.()", r):
		default:
			return false
		}
	}

	return digits >= minPhoneDigits && digits <= maxPhoneDigits
}

// validateAnswers limits the number of answers and checks each key, value
// type and text length. Errors are keyed by answer key.
func validateAnswers(answers map[string]any) error {
	if len(answers) > MaxAnswers {
		return ruleError(FieldCodeTooManyItems, MaxAnswers)
	}

	errs := validation.Errors{}
	for key, value := range answers {
		switch {
		case !IsValidAnswerKey(key):
			errs[key] = ruleError(FieldCodeInvalidAnswerKey)
		case value == nil:
			continue
		case !isAnswerValue(value):
			errs[key] = ruleError(FieldCodeInvalidAnswerValue)
		case answerTextTooLong(value):
			errs[key] = ruleError(FieldCodeTooLong, MaxAnswerTextLength)
		}
	}
	if len(errs) == 0 {
		return nil
	}

	return errs
}

// answerTextTooLong reports whether a string answer, or any string in a list
// answer, is longer than MaxAnswerTextLength characters.
func answerTextTooLong(value any) bool {
	switch v := value.(type) {
	case string:
		return utf8.RuneCountInString(v) > MaxAnswerTextLength
	case []string:
		for _, item := range v {
			if answerTextTooLong(item) {
				return true
			}
		}
	case []any:
		for _, item := range v {
			if answerTextTooLong(item) {
				return true
			}
		}
	}

	return false
}

// normalize trims every string field and list item, writes gender and
// bloodType in canonical form when they are recognized, and drops a free-text
// emergency contact that is blank. Answers are left as given.
func (p *Patient) normalize() {
	for _, field := range []*string{
		&p.FirstName, &p.LastName, &p.Gender, &p.DateOfBirth,
		&p.Contact.Email, &p.Contact.Phone, &p.Contact.Address,
		&p.MedicalHistory, &p.SocialHistory, &p.FamilyHistory, &p.BloodType, &p.MaritalStatus,
		&p.InsuranceProvider, &p.InsurancePolicyNumber, &p.PrimaryCarePhysician,
		&p.Identifiers.EHRPatientID, &p.Identifiers.MRN,
	} {
		*field = strings.TrimSpace(*field)
	}
	for _, list := range [][]string{p.Allergies, p.Medications, p.Symptoms} {
		for i := range list {
			list[i] = strings.TrimSpace(list[i])
		}
	}

	if gender, ok := NormalizeGender(p.Gender); ok {
		p.Gender = gender
	}
	if bloodType, ok := canonicalBloodType(p.BloodType); ok {
		p.BloodType = bloodType
	}
	p.normalizeEmergencyContact()
}

func (p *Patient) normalizeEmergencyContact() {
	contact := p.EmergencyContact
	if contact == nil {
		return
	}

	wasText := contact.Text != ""
	for _, field := range []*string{&contact.Text, &contact.Name, &contact.Phone, &contact.Relationship} {
		*field = strings.TrimSpace(*field)
	}
	if wasText && contact.Text == "" && contact.Name == "" && contact.Phone == "" && contact.Relationship == "" {
		p.EmergencyContact = nil
	}
}
