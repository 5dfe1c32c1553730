package app

import (
	"errors"
	"strings"
	"testing"
)

// testEncryptionKey is a valid ENCRYPTION_KEY for configuration tests.
const testEncryptionKey = "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

func TestProductionRequiresEncryptionKey(t *testing.T) {
	_, err := LoadConfig(lookupFrom(map[string]string{"APP_ENV": "production"}))

	var configErr *ConfigError
	if !errors.As(err, &configErr) || configErr.Variable != "ENCRYPTION_KEY" {
		t.Fatalf("production without a key: %v, want an ENCRYPTION_KEY error", err)
	}
}

func TestProductionRejectsAuthOff(t *testing.T) {
	_, err := LoadConfig(lookupFrom(map[string]string{
		"APP_ENV": "production", "ENCRYPTION_KEY": testEncryptionKey, "AUTH_REQUIRED": "false",
	}))

	var configErr *ConfigError
	if !errors.As(err, &configErr) || configErr.Variable != "AUTH_REQUIRED" {
		t.Fatalf("production with AUTH_REQUIRED=false: %v, want an AUTH_REQUIRED error", err)
	}
}

func TestProductionRequiresAuthByDefault(t *testing.T) {
	cfg, err := LoadConfig(lookupFrom(map[string]string{"APP_ENV": "production", "ENCRYPTION_KEY": testEncryptionKey}))
	if err != nil {
		t.Fatal(err)
	}

	if !cfg.AuthRequired || cfg.Keyring.CurrentID() != "k1" {
		t.Errorf("AuthRequired %v, key id %q; want true and k1", cfg.AuthRequired, cfg.Keyring.CurrentID())
	}
}

func TestDevelopmentWithoutAuthStaysOnLoopback(t *testing.T) {
	_, err := LoadConfig(lookupFrom(map[string]string{"HOST": "0.0.0.0"}))
	var configErr *ConfigError
	if !errors.As(err, &configErr) || configErr.Variable != "HOST" {
		t.Fatalf("development on 0.0.0.0 without auth: %v, want a HOST error", err)
	}

	cfg, err := LoadConfig(lookupFrom(map[string]string{"HOST": "0.0.0.0", "AUTH_REQUIRED": "true"}))
	if err != nil || !cfg.AuthRequired {
		t.Fatalf("development on 0.0.0.0 with auth: %v", err)
	}
}

func TestDevelopmentDefaults(t *testing.T) {
	cfg, err := LoadConfig(lookupFrom(nil))
	if err != nil {
		t.Fatal(err)
	}

	if cfg.AuthRequired || cfg.Host != "127.0.0.1" || cfg.Keyring.Enabled() {
		t.Errorf("development: auth %v, host %q, key %v; want off, 127.0.0.1, none", cfg.AuthRequired, cfg.Host, cfg.Keyring.Enabled())
	}
}

func TestInvalidEncryptionKeyIsNotRepeated(t *testing.T) {
	_, err := LoadConfig(lookupFrom(map[string]string{"ENCRYPTION_KEY": "k1:c2VjcmV0LXZhbHVl"}))

	if err == nil {
		t.Fatal("short key accepted")
	}
	if got := err.Error(); strings.Contains(got, "c2VjcmV0") {
		t.Errorf("error %q repeats the key", got)
	}
}

func TestTrustedProxiesParse(t *testing.T) {
	cfg, err := LoadConfig(lookupFrom(map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.1/32"}))
	if err != nil || len(cfg.TrustedProxies) != 2 {
		t.Fatalf("TRUSTED_PROXIES: %v, %d ranges", err, len(cfg.TrustedProxies))
	}

	if _, err := LoadConfig(lookupFrom(map[string]string{"TRUSTED_PROXIES": "10.0.0.1"})); err == nil {
		t.Error("address without a prefix length accepted")
	}
}

func TestDuplicateKeyIDNamesTheCause(t *testing.T) {
	_, err := LoadConfig(lookupFrom(map[string]string{
		"ENCRYPTION_KEY": testEncryptionKey, "ENCRYPTION_PREVIOUS_KEYS": testEncryptionKey,
	}))

	var configErr *ConfigError
	if !errors.As(err, &configErr) || !strings.Contains(configErr.Accepted, "ids differ") {
		t.Fatalf("duplicate key id: %v, want an error about ids", err)
	}
}
