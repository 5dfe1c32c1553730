package app

import (
	"errors"

	"ehrbridge/app/auth"
	"ehrbridge/views"
)

// newPasswordErrors checks a new password and its repetition from a form.
// It returns translated errors keyed "password" (a broken rule) and
// "password_repeat" (the two differ), and none when the password can be
// used.
func newPasswordErrors(page views.Page, password, repeat string) map[string]string {
	errs := map[string]string{}
	switch err := auth.CheckPasswordRules(password); {
	case errors.Is(err, auth.ErrPasswordTooShort):
		errs["password"] = page.T("page.users.error.password_too_short", auth.MinPasswordLength)
	case errors.Is(err, auth.ErrPasswordTooLong):
		errs["password"] = page.T("page.users.error.password_too_long", auth.MaxPasswordBytes)
	}
	if password != repeat {
		errs["password_repeat"] = page.T("page.users.error.password_mismatch")
	}

	return errs
}
