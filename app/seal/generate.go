package seal

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"
)

// GenerateKey returns a new random key written "id:base64", ready for
// ENCRYPTION_KEY. The id is today's date and a random suffix, such as
// "k20261204-3fa9c1", so keys made on one day still differ.
func GenerateKey(now time.Time) (string, error) {
	key, suffix := make([]byte, KeySize), make([]byte, 3)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("reading random bytes: %w", err)
	}
	if _, err := rand.Read(suffix); err != nil {
		return "", fmt.Errorf("reading random bytes: %w", err)
	}
	id := "k" + now.UTC().Format("20060102") + "-" + hex.EncodeToString(suffix)

	return id + ":" + base64.StdEncoding.EncodeToString(key), nil
}
