package auth

import (
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestDummyHashHasPasswordCost(t *testing.T) {
	cost, err := bcrypt.Cost(dummyHash)
	if err != nil || cost != passwordCost {
		t.Fatalf("dummy hash cost %d (%v), want %d so unknown users take as long", cost, err, passwordCost)
	}
}

func TestPasswordMatches(t *testing.T) {
	hash, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !PasswordMatches(hash, "correct horse battery") {
		t.Error("the right password does not match")
	}
	if PasswordMatches(hash, "wrong horse battery") {
		t.Error("a wrong password matches")
	}
	if PasswordMatches("", "correct horse battery") {
		t.Error("an unknown user's empty hash matches")
	}
}

func TestPasswordRules(t *testing.T) {
	if err := CheckPasswordRules("short"); err != ErrPasswordTooShort {
		t.Errorf("short password: %v", err)
	}
	long := make([]byte, 73)
	for i := range long {
		long[i] = 'a'
	}
	if err := CheckPasswordRules(string(long)); err != ErrPasswordTooLong {
		t.Errorf("73-byte password: %v", err)
	}
}
