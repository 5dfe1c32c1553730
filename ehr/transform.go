package ehr

import (
	"strconv"
	"strings"
	"time"
)

// DefaultJoinSeparator joins list values when a rule has no join transform
// or its join transform names no separator.
const DefaultJoinSeparator = ", "

// maxDateFormatLength bounds a dateFormat layout. "YYYY-MM-DD" with a
// separator around every token needs far less.
const maxDateFormatLength = 32

// dateSeparators are the characters a dateFormat layout may put around its
// YYYY, MM and DD tokens.
const dateSeparators = "/-. "

// dateOfBirthLayout is the time layout of a patient's date of birth.
const dateOfBirthLayout = time.DateOnly

// listSources are the canonical source paths whose value is a list, so a
// join transform applies to them. Every "answers." path may hold a list too.
var listSources = map[string]bool{
	"allergies":          true,
	"medications":        true,
	"currentMedications": true,
	"symptoms":           true,
}

// dateSources are the canonical source paths holding a YYYY-MM-DD date.
var dateSources = map[string]bool{
	"dateOfBirth": true,
	"dob":         true,
}

// isListSource reports whether a join transform may read source.
func isListSource(source string) bool {
	canonical := CanonicalSource(source)

	return listSources[canonical] || strings.HasPrefix(canonical, AnswersPrefix)
}

// isDateSource reports whether a dateFormat transform may read source.
func isDateSource(source string) bool {
	return dateSources[CanonicalSource(source)]
}

// sourceText renders a looked-up value: a string as it is, an int in
// decimal and a list joined by separator.
func sourceText(value any, separator string) string {
	switch v := value.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case []string:
		return strings.Join(v, separator)
	default:
		return ""
	}
}

// joinSeparator returns the separator of a join transform, or the default.
func joinSeparator(t *Transform) string {
	if t == nil || t.Type != TransformJoin || t.Separator == "" {
		return DefaultJoinSeparator
	}

	return t.Separator
}

// isValidTemplate reports whether tmpl is non-empty, has balanced braces and
// names only known source paths in its placeholders.
func isValidTemplate(tmpl string) bool {
	if tmpl == "" {
		return false
	}

	rest := tmpl
	for {
		cut, err := cutPlaceholder(rest)
		if err != nil {
			return false
		}
		if !cut.found {
			return true
		}
		if !IsKnownSource(cut.name) {
			return false
		}
		rest = cut.after
	}
}

// renderTemplate fills each placeholder of tmpl with the patient's value at
// that source path, or "" when there is none, and tidies the result with
// tidyRenderedTemplate. It also returns how many placeholders tmpl has and
// whether any of them had a value. A malformed template is rendered up to
// its first bad brace.
func renderTemplate(tmpl string, p *Patient) (text string, placeholders int, anyValue bool) {
	var rendered strings.Builder
	rendered.Grow(len(tmpl) + 32)

	rest := tmpl
	for {
		cut, err := cutPlaceholder(rest)
		if err != nil {
			break
		}
		rendered.WriteString(cut.before)
		if !cut.found {
			break
		}

		placeholders++
		if value, ok := p.Lookup(cut.name); ok {
			anyValue = true
			rendered.WriteString(sourceText(value, DefaultJoinSeparator))
		}
		rest = cut.after
	}

	return tidyRenderedTemplate(rendered.String()), placeholders, anyValue
}

// tidyRenderedTemplate removes what empty placeholders leave behind. Runs of
// spaces become one space and ", ," becomes ",". A "," or " - " separator
// left at either end is trimmed with its spaces, down to "" when nothing else
// is left. A hyphen inside a word, as in "Vasquez-Moore", is kept.
func tidyRenderedTemplate(text string) string {
	for strings.Contains(text, "  ") {
		text = strings.ReplaceAll(text, "  ", " ")
	}
	for strings.Contains(text, ", ,") {
		text = strings.ReplaceAll(text, ", ,", ",")
	}

	for {
		trimmed := strings.TrimSpace(text)
		trimmed = strings.TrimPrefix(trimmed, ",")
		trimmed = strings.TrimSuffix(trimmed, ",")
		trimmed = strings.TrimPrefix(trimmed, "- ")
		trimmed = strings.TrimSuffix(trimmed, " -")
		if trimmed == "-" {
			trimmed = ""
		}
		if trimmed == text {
			return text
		}
		text = trimmed
	}
}

// mapValue returns the replacement for value from values, matching the whole
// value case-insensitively after trimming spaces from both. When several keys
// match, the smallest key wins, so the result never depends on map order. An
// unmatched value is returned unchanged.
func mapValue(values map[string]string, value string) string {
	wanted := strings.TrimSpace(value)
	matchedKey, replacement, matched := "", "", false
	for key, candidate := range values {
		if !strings.EqualFold(strings.TrimSpace(key), wanted) {
			continue
		}
		if !matched || key < matchedKey {
			matchedKey, replacement, matched = key, candidate, true
		}
	}
	if !matched {
		return value
	}

	return replacement
}

// isValidDateFormat reports whether layout is made of the tokens YYYY, MM
// and DD, each exactly once, and separator characters from "/-. ".
func isValidDateFormat(layout string) bool {
	if len(layout) > maxDateFormatLength {
		return false
	}

	var year, month, day int
	for i := 0; i < len(layout); {
		switch {
		case strings.HasPrefix(layout[i:], "YYYY"):
			year++
			i += 4
		case strings.HasPrefix(layout[i:], "MM"):
			month++
			i += 2
		case strings.HasPrefix(layout[i:], "DD"):
			day++
			i += 2
		case strings.IndexByte(dateSeparators, layout[i]) >= 0:
			i++
		default:
			return false
		}
	}

	return year == 1 && month == 1 && day == 1
}

// formatDate rewrites a YYYY-MM-DD date in layout. A value that is not such a
// date is returned unchanged with ok false.
func formatDate(value, layout string) (formatted string, ok bool) {
	date, err := time.Parse(dateOfBirthLayout, value)
	if err != nil {
		return value, false
	}

	out := make([]byte, 0, len(layout)+2)
	for i := 0; i < len(layout); {
		switch {
		case strings.HasPrefix(layout[i:], "YYYY"):
			out = appendZeroPadded(out, date.Year(), 4)
			i += 4
		case strings.HasPrefix(layout[i:], "MM"):
			out = appendZeroPadded(out, int(date.Month()), 2)
			i += 2
		case strings.HasPrefix(layout[i:], "DD"):
			out = appendZeroPadded(out, date.Day(), 2)
			i += 2
		default:
			out = append(out, layout[i])
			i++
		}
	}

	return string(out), true
}

// appendZeroPadded appends a non-negative number in decimal, padded with
// leading zeros to width digits.
func appendZeroPadded(out []byte, number, width int) []byte {
	digits := 1
	for rest := number / 10; rest > 0; rest /= 10 {
		digits++
	}
	for ; digits < width; digits++ {
		out = append(out, '0')
	}

	return strconv.AppendInt(out, int64(number), 10)
}
