package app

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"ehrbridge/app/auth"
	"ehrbridge/app/store"
)

// errAPIKeyName reports a key name that is empty or over 100 characters.
var errAPIKeyName = errors.New("API key name must have 1 to 100 characters")

// newAPIKey creates and stores an API key for the CLI, the JSON API and
// the admin UI alike. It returns the key, which exists only in this
// return value, and the stored record.
func newAPIKey(ctx context.Context, st *store.Store, name string, scopes []string, createdBy string) (string, store.APIKey, error) {
	name, err := checkAPIKeyName(name)
	if err != nil {
		return "", store.APIKey{}, err
	}
	scopes, err = auth.ParseScopes(strings.Join(scopes, ","))
	if err != nil {
		return "", store.APIKey{}, err
	}

	key, keyID, hash, err := auth.NewAPIKey()
	if err != nil {
		return "", store.APIKey{}, err
	}
	record := store.APIKey{KeyID: keyID, Name: name, SecretHash: hash, Scopes: strings.Join(scopes, ","), CreatedBy: createdBy}
	if err := st.CreateAPIKey(ctx, &record); err != nil {
		return "", store.APIKey{}, err
	}

	return key, record, nil
}

// checkAPIKeyName returns the name without surrounding spaces, or
// errAPIKeyName when it is empty or over 100 characters.
func checkAPIKeyName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 100 {
		return "", errAPIKeyName
	}

	return name, nil
}
