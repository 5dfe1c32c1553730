package ehr

import (
	"encoding/json"
	"reflect"
	"regexp"
	"time"

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
