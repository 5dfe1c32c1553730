package ehr

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	validation "github.com/go-ozzo/ozzo-validation/v4"
)

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
