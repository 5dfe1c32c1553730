package ehr

import "strings"

// FieldError is one invalid input field. Code is stable across releases and
// doubles as the locale key suffix ("field.<code>"); the message is rendered
// by the caller in the request's language with Field as the first argument and
// Args after it. A FieldError never carries the rejected value, because the
// value may be patient data.
type FieldError struct {
	Field string
	Code  string
	Args  []any
}

// FieldErrors lists every invalid field of one input, in a stable order.
type FieldErrors []FieldError

// Error lists the failing fields and codes without any values.
func (e FieldErrors) Error() string {
	parts := make([]string, len(e))
	for i, fe := range e {
		parts[i] = fe.Field + ": " + fe.Code
	}

	return "invalid fields: " + strings.Join(parts, ", ")
}

// Prefixed returns a copy whose field paths start with prefix, as in
// "patientData." or "patients[3].". An error on the whole input (empty
// Field) takes the prefix without its trailing dot.
func (e FieldErrors) Prefixed(prefix string) FieldErrors {
	out := make(FieldErrors, len(e))
	for i, fe := range e {
		if fe.Field == "" {
			fe.Field = strings.TrimSuffix(prefix, ".")
		} else {
			fe.Field = prefix + fe.Field
		}
		out[i] = fe
	}

	return out
}
