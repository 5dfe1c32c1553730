package sim

import (
	"testing"
	"time"
)

func TestTokenStoreExpiry(t *testing.T) {
	t.Parallel()
	store := newTokenStore()
	issuedAt := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	token := store.issue(SystemAthena, issuedAt)

	tests := []struct {
		name      string
		system    string
		token     string
		at        time.Time
		wantValid bool
	}{
		{"fresh token", SystemAthena, token, issuedAt.Add(time.Minute), true},
		{"just before expiry", SystemAthena, token, issuedAt.Add(tokenLifetime - time.Second), true},
		{"at expiry", SystemAthena, token, issuedAt.Add(tokenLifetime), false},
		{"other system", SystemUnity, token, issuedAt.Add(time.Minute), false},
		{"empty token", SystemAthena, "", issuedAt.Add(time.Minute), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			if got := store.valid(tt.system, tt.token, tt.at); got != tt.wantValid {
				t.Errorf("valid = %v, want %v", got, tt.wantValid)
			}
		})
	}
}

func TestTokenStoreDropsExpiredTokens(t *testing.T) {
	t.Parallel()
	store := newTokenStore()
	issuedAt := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	for range 3 {
		store.issue(SystemAthena, issuedAt)
	}

	store.issue(SystemAthena, issuedAt.Add(2*tokenLifetime))

	if got := len(store.expires); got != 1 {
		t.Errorf("tokens kept = %d, want 1 after the others expired", got)
	}
	if got := len(store.issued); got != 1 {
		t.Errorf("issue order entries = %d, want 1", got)
	}
}

func TestTokenStoreKeepsAtMostMaxTokens(t *testing.T) {
	t.Parallel()
	store := newTokenStore()
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	first := store.issue(SystemREST, now)
	for range maxTokens {
		store.issue(SystemREST, now)
	}

	if got := len(store.expires); got != maxTokens {
		t.Errorf("tokens kept = %d, want %d", got, maxTokens)
	}
	if store.valid(SystemREST, first, now) {
		t.Error("oldest token is still valid beyond maxTokens")
	}
}
