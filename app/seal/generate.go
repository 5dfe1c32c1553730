package seal

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"
)

// GenerateKey returns a new random key written "id:base64", with an id
// made from today's date, ready for ENCRYPTION_KEY.
func GenerateKey(now time.Time) (string, error) {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("reading random bytes: %w", err)
	}

	return "k" + now.UTC().Format("20060102") + ":" + base64.StdEncoding.EncodeToString(key), nil
}
