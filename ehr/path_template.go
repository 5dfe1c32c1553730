package ehr

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Placeholders an endpoint path may contain, written in braces as in
// "/v1/{practiceId}/chart/{patientId}/medicalhistory".
const (
	PathPlaceholderPatientID  = "patientId"
	PathPlaceholderPracticeID = "practiceId"
)

// Errors ExpandPath wraps. None of them carries the value that was rejected.
var (
	// ErrPathTemplateInvalid reports a path with an unbalanced brace, an
	// empty placeholder or a placeholder other than {patientId} and
	// {practiceId}.
	ErrPathTemplateInvalid = errors.New("invalid path template")
	// ErrPathValueMissing reports a placeholder with no value or an empty one.
	ErrPathValueMissing = errors.New("no value for path placeholder")
	// ErrPathValueInvalid reports a value that would change the path's
	// structure, such as "." or "..".
	ErrPathValueInvalid = errors.New("path placeholder value is not a path segment")
)

var patientIDPlaceholder = "{" + PathPlaceholderPatientID + "}"

// placeholderCut is a template split at its first placeholder: the literal
// text before it, the placeholder name, and the text after it. found is
// false when the template has no placeholder left; before then holds all of
// it.
type placeholderCut struct {
	before string
	name   string
	after  string
	found  bool
}

var (
	errBraceUnbalanced  = errors.New("unbalanced brace")
	errPlaceholderEmpty = errors.New("empty placeholder")
)

// cutPlaceholder splits s at its first "{name}". It fails on a "}" with no
// "{" before it, a "{" with no "}" after it, a "{" inside a placeholder and
// an empty name "{}".
func cutPlaceholder(s string) (placeholderCut, error) {
	open := strings.IndexAny(s, "{}")
	if open < 0 {
		return placeholderCut{before: s}, nil
	}
	if s[open] == '}' {
		return placeholderCut{}, errBraceUnbalanced
	}

	length := strings.IndexAny(s[open+1:], "{}")
	if length < 0 || s[open+1+length] == '{' {
		return placeholderCut{}, errBraceUnbalanced
	}
	if length == 0 {
		return placeholderCut{}, errPlaceholderEmpty
	}

	return placeholderCut{
		before: s[:open],
		name:   s[open+1 : open+1+length],
		after:  s[open+2+length:],
		found:  true,
	}, nil
}

// PathNeedsPatientID reports whether the path template contains {patientId},
// so the call can only be made once the EHR's patient id is known.
func PathNeedsPatientID(template string) bool {
	return strings.Contains(template, patientIDPlaceholder)
}

// ExpandPath replaces each {patientId} and {practiceId} in template with the
// value of that name in values, escaped with url.PathEscape. A placeholder
// whose value is missing, blank, "." or ".." is an error that names the
// placeholder but never the value.
func ExpandPath(template string, values map[string]string) (string, error) {
	var expanded strings.Builder
	expanded.Grow(len(template) + 32)

	rest := template
	for {
		cut, err := cutPlaceholder(rest)
		if err != nil {
			return "", fmt.Errorf("expanding path: %w: %w", ErrPathTemplateInvalid, err)
		}
		expanded.WriteString(cut.before)
		if !cut.found {
			return expanded.String(), nil
		}

		segment, err := pathSegment(cut.name, values)
		if err != nil {
			return "", err
		}
		expanded.WriteString(segment)
		rest = cut.after
	}
}

// pathSegment returns the escaped value of one placeholder.
func pathSegment(name string, values map[string]string) (string, error) {
	if !isPathPlaceholder(name) {
		return "", fmt.Errorf("expanding path placeholder {%s}: %w", name, ErrPathTemplateInvalid)
	}

	value := values[name]
	if strings.TrimSpace(value) == "" {
		return "", fmt.Errorf("expanding path placeholder {%s}: %w", name, ErrPathValueMissing)
	}

	escaped := url.PathEscape(value)
	if escaped == "." || escaped == ".." {
		return "", fmt.Errorf("expanding path placeholder {%s}: %w", name, ErrPathValueInvalid)
	}

	return escaped, nil
}

func isPathPlaceholder(name string) bool {
	return name == PathPlaceholderPatientID || name == PathPlaceholderPracticeID
}

// isValidEndpointPath reports whether path may be stored as an endpoint path:
// it starts with a single "/", contains no "..", query, fragment, backslash,
// whitespace or control character, and its placeholders are balanced and
// only {patientId} and {practiceId}. A leading "//" is rejected because URL
// resolution reads it as another host, and an escaped dot ("%2e") because
// some servers decode it back into "..".
func isValidEndpointPath(path string) bool {
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
		return false
	}
	if strings.Contains(path, "..") || strings.ContainsAny(path, "?#\\") {
		return false
	}
	if strings.Contains(strings.ToLower(path), "%2e") {
		return false
	}
	for _, r := range path {
		if r <= ' ' || r == 0x7f {
			return false
		}
	}

	return hasOnlyPathPlaceholders(path)
}

func hasOnlyPathPlaceholders(path string) bool {
	rest := path
	for {
		cut, err := cutPlaceholder(rest)
		if err != nil {
			return false
		}
		if !cut.found {
			return true
		}
		if !isPathPlaceholder(cut.name) {
			return false
		}
		rest = cut.after
	}
}
