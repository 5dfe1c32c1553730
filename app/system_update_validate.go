package app

import (
	"slices"
	"strings"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

// validateSystemSettings checks an EHR system's settings by the rules of
// POST /ehr/systems: name, family, base URL, auth kind and the name of the
// secret's environment variable. It fills the family's default auth kind
// when none is given, and returns the family with the errors in field
// order, named as in the JSON API.
func (a *App) validateSystemSettings(system *store.System) (ehr.Family, ehr.FieldErrors) {
	var errs ehr.FieldErrors
	fail := func(field, code string, args ...any) {
		errs = append(errs, ehr.FieldError{Field: field, Code: code, Args: args})
	}

	switch {
	case system.Name == "":
		fail("name", "required")
	case !systemNamePattern.MatchString(system.Name):
		fail("name", "invalid_ehr_name")
	}
	family, known := ehr.LookupFamily(system.Family)
	switch {
	case system.Family == "":
		fail("family", "required")
	case !known:
		fail("family", "invalid_choice", strings.Join(ehr.FamilyNames(), ", "))
	}
	switch {
	case system.BaseURL == "":
		fail("baseUrl", "required")
	case !a.validBaseURL(system.BaseURL):
		fail("baseUrl", "invalid_base_url")
	}
	if system.AuthKind == "" {
		system.AuthKind = family.DefaultAuthKind
	}
	if system.AuthKind != "" && !slices.Contains(authKinds, system.AuthKind) {
		fail("authKind", "invalid_choice", strings.Join(authKinds, ", "))
	}
	if system.SecretEnv != "" && !envNamePattern.MatchString(system.SecretEnv) {
		fail("secretEnv", "invalid_env_name")
	}

	return family, errs
}

// appendUncovered adds the errors of more whose field errs has no error
// on yet, so one field is not reported twice.
func appendUncovered(errs, more ehr.FieldErrors) ehr.FieldErrors {
	for _, fe := range more {
		if !hasFieldError(errs, fe.Field) {
			errs = append(errs, fe)
		}
	}

	return errs
}
