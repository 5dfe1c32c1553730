package auth

import (
	"errors"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Password limits. bcrypt reads at most 72 bytes, so longer passwords are
// rejected rather than silently cut.
const (
	MinPasswordLength = 12
	MaxPasswordBytes  = 72
	passwordCost      = 12
)

// Password errors; their text is for the CLI, the UI shows translations.
var (
	ErrPasswordTooShort = errors.New("password must have at least 12 characters")
	ErrPasswordTooLong  = errors.New("password must have at most 72 bytes")
)

// CheckPasswordRules returns why password cannot be used, or nil.
func CheckPasswordRules(password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return ErrPasswordTooShort
	}
	if len(password) > MaxPasswordBytes {
		return ErrPasswordTooLong
	}

	return nil
}

// HashPassword returns a bcrypt hash of a password that meets the rules.
func HashPassword(password string) (string, error) {
	if err := CheckPasswordRules(password); err != nil {
		return "", err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), passwordCost)
	if err != nil {
		return "", err
	}

	return string(hash), nil
}

// dummyHash is compared against when a user name is unknown, so a failed
// sign-in takes as long whether or not the account exists. It is the hash,
// at passwordCost, of a random value that was discarded. It is a literal
// because computing one at start added about 250 ms to every start.
var dummyHash = []byte("$2a$12$TBA0vei5zudEraZpjxuQR.rTOCCvWT.hguu6EgDu3gXoHOlDH3Rpy")

// PasswordMatches reports whether password matches hash. An empty hash
// (unknown user) still costs one bcrypt comparison.
func PasswordMatches(hash, password string) bool {
	if hash == "" {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return false
	}

	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}
