// Package seal encrypts patient data at rest with AES-256-GCM. A sealed
// value names the key that sealed it, so older keys can keep opening rows
// while a new key seals everything written from now on.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// KeySize is the length of an AES-256 key in bytes.
const KeySize = 32

var keyIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// Keyring holds the key that seals new values and every key that may open
// stored ones. A Keyring without keys seals nothing: it stores values as
// they are, which development mode allows.
type Keyring struct {
	currentID string
	aeads     map[string]cipher.AEAD
}

// ErrInvalidKey reports a key that is not "id:base64" with a 32-byte key.
var ErrInvalidKey = errors.New("invalid encryption key: expected id:base64 of 32 random bytes, id of 1 to 32 letters, digits, _ or -")

// ErrDuplicateKeyID reports two keys with one id: each key needs its own
// id, because sealed values name the key that opens them.
var ErrDuplicateKeyID = errors.New("encryption key id is listed twice")

// ParseKeyring builds a keyring from the current key and a comma-separated
// list of previous keys, each written "id:base64". Both may be empty.
func ParseKeyring(current, previous string) (*Keyring, error) {
	k := &Keyring{aeads: map[string]cipher.AEAD{}}
	if strings.TrimSpace(current) == "" {
		if strings.TrimSpace(previous) != "" {
			return nil, errors.New("previous encryption keys are set without a current key")
		}
		return k, nil
	}

	id, err := k.add(current)
	if err != nil {
		return nil, err
	}
	k.currentID = id
	for _, entry := range strings.Split(previous, ",") {
		if strings.TrimSpace(entry) == "" {
			continue
		}
		if _, err := k.add(entry); err != nil {
			return nil, err
		}
	}

	return k, nil
}

func (k *Keyring) add(entry string) (string, error) {
	id, encoded, found := strings.Cut(strings.TrimSpace(entry), ":")
	if !found || !keyIDPattern.MatchString(id) {
		return "", ErrInvalidKey
	}
	key, err := decodeKey(encoded)
	if err != nil || len(key) != KeySize {
		return "", ErrInvalidKey
	}
	if _, duplicate := k.aeads[id]; duplicate {
		return "", fmt.Errorf("%w: %q", ErrDuplicateKeyID, id)
	}

	block, err := aes.NewCipher(key)
	if err != nil {
		return "", ErrInvalidKey
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return "", ErrInvalidKey
	}
	k.aeads[id] = aead

	return id, nil
}

func decodeKey(encoded string) ([]byte, error) {
	for _, encoding := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if key, err := encoding.DecodeString(encoded); err == nil {
			return key, nil
		}
	}

	return nil, ErrInvalidKey
}

// Enabled reports whether the keyring has a key to seal with. A nil
// keyring has none.
func (k *Keyring) Enabled() bool {
	return k != nil && k.currentID != ""
}

// CurrentID is the id of the key that seals new values; empty without one.
func (k *Keyring) CurrentID() string {
	if k == nil {
		return ""
	}

	return k.currentID
}
