package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// apiKeyPrefix starts every API key, so leaked keys are easy to recognise
// in code and logs scanners.
const apiKeyPrefix = "ehrb_"

var apiKeyPattern = regexp.MustCompile(`^ehrb_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$`)

// NewAPIKey returns a new key ("ehrb_<key id>_<secret>"), its public key
// id and the hash to store. The key itself is shown once and never stored.
func NewAPIKey() (key, keyID string, hash []byte, err error) {
	idBytes, secret := make([]byte, 6), make([]byte, 32)
	if _, err := rand.Read(idBytes); err != nil {
		return "", "", nil, fmt.Errorf("reading random bytes: %w", err)
	}
	if _, err := rand.Read(secret); err != nil {
		return "", "", nil, fmt.Errorf("reading random bytes: %w", err)
	}
	keyID = hex.EncodeToString(idBytes)
	key = apiKeyPrefix + keyID + "_" + base64.RawURLEncoding.EncodeToString(secret)

	return key, keyID, HashToken(key), nil
}

// ParseAPIKey returns the key id of a well-formed key.
func ParseAPIKey(key string) (keyID string, ok bool) {
	match := apiKeyPattern.FindStringSubmatch(key)
	if match == nil {
		return "", false
	}

	return match[1], true
}

// NewSessionToken returns a random session token for a cookie and the hash
// to store.
func NewSessionToken() (token string, hash []byte, err error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, fmt.Errorf("reading random bytes: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(raw)

	return token, HashToken(token), nil
}

// HashToken is the SHA-256 of a high-entropy token. Such tokens need no
// slow hash: guessing one is already out of reach.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))

	return sum[:]
}

// BearerToken returns the token of an "Authorization: Bearer <token>"
// header value.
func BearerToken(header string) (string, bool) {
	scheme, token, found := strings.Cut(strings.TrimSpace(header), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)

	return token, token != ""
}

// ErrInvalidScope reports a scope list that is empty or names an unknown
// scope.
var ErrInvalidScope = errors.New("invalid scopes: expected one or more of send, read, admin")

// ParseScopes checks a comma-separated scope list and returns it sorted
// in the order of Scopes, without repeats.
func ParseScopes(raw string) ([]string, error) {
	seen := map[string]bool{}
	for _, part := range strings.Split(raw, ",") {
		scope := strings.TrimSpace(strings.ToLower(part))
		if scope == "" {
			continue
		}
		if !slices.Contains(Scopes, scope) {
			return nil, fmt.Errorf("%w: unknown scope %q", ErrInvalidScope, scope)
		}
		seen[scope] = true
	}
	var scopes []string
	for _, scope := range Scopes {
		if seen[scope] {
			scopes = append(scopes, scope)
		}
	}
	if len(scopes) == 0 {
		return nil, fmt.Errorf("%w: no scope given", ErrInvalidScope)
	}

	return scopes, nil
}

// IsRole reports whether role is one of Roles.
func IsRole(role string) bool {
	return slices.Contains(Roles, role)
}
