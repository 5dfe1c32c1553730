package seal

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
)

// magic starts every sealed value. Its first byte is NUL, which never
// starts a JSON document, so sealed and plain values cannot be confused.
var magic = []byte{0, 'e', 'h', 'b', '1'}

// ErrUnknownKey reports a value sealed with a key the keyring lacks.
var ErrUnknownKey = errors.New("value sealed with an encryption key that is not configured")

// ErrTampered reports a sealed value that fails authentication: it was
// changed, or it belongs to another record (its associated data differs).
var ErrTampered = errors.New("sealed value failed authentication")

// Seal encrypts plaintext, binding it to associatedData (such as the
// record id and column), so a value copied to another record fails to
// open. Without a current key it returns plaintext unchanged.
//
// Layout: magic, key id length (1 byte), key id, nonce, ciphertext and tag.
func (k *Keyring) Seal(plaintext, associatedData []byte) ([]byte, error) {
	if plaintext == nil || !k.Enabled() {
		return plaintext, nil
	}
	aead := k.aeads[k.currentID]
	header := make([]byte, 0, len(magic)+1+len(k.currentID)+aead.NonceSize())
	header = append(header, magic...)
	header = append(header, byte(len(k.currentID)))
	header = append(header, k.currentID...)

	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("reading a random nonce: %w", err)
	}
	out := append(header, nonce...)

	return aead.Seal(out, nonce, plaintext, associatedData), nil
}

// Open decrypts a value written by Seal. A value that is not sealed (stored
// before a key was configured) is returned unchanged.
func (k *Keyring) Open(stored, associatedData []byte) ([]byte, error) {
	keyID, body, sealed := split(stored)
	if !sealed {
		return stored, nil
	}
	if keyID == "" {
		return nil, ErrTampered
	}
	if k == nil {
		return nil, fmt.Errorf("%w: key id %q", ErrUnknownKey, keyID)
	}
	aead, ok := k.aeads[keyID]
	if !ok {
		return nil, fmt.Errorf("%w: key id %q", ErrUnknownKey, keyID)
	}
	if len(body) < aead.NonceSize()+aead.Overhead() {
		return nil, ErrTampered
	}

	nonce, ciphertext := body[:aead.NonceSize()], body[aead.NonceSize():]
	plaintext, err := aead.Open(nil, nonce, ciphertext, associatedData)
	if err != nil {
		return nil, ErrTampered
	}

	return plaintext, nil
}

// KeyID returns the id of the key that sealed stored, and false when
// stored is not sealed.
func KeyID(stored []byte) (string, bool) {
	keyID, _, sealed := split(stored)

	return keyID, sealed
}

// NeedsReseal reports whether stored should be sealed again with the
// current key: it is plain, or sealed with an older key.
func (k *Keyring) NeedsReseal(stored []byte) bool {
	if stored == nil || !k.Enabled() {
		return false
	}
	keyID, sealed := KeyID(stored)

	return !sealed || keyID != k.currentID
}

func split(stored []byte) (keyID string, body []byte, sealed bool) {
	if !bytes.HasPrefix(stored, magic) {
		return "", nil, false
	}
	// A malformed header still marks a sealed value: it opens as tampered.
	rest := stored[len(magic):]
	if len(rest) == 0 || rest[0] == 0 || len(rest) < 1+int(rest[0]) {
		return "", nil, true
	}
	idLength := int(rest[0])

	return string(rest[1 : 1+idLength]), rest[1+idLength:], true
}
