package app

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func lookupFrom(env map[string]string) func(string) (string, bool) {
	return func(key string) (string, bool) {
		value, ok := env[key]
		return value, ok
	}
}

func TestLoadConfigDefaults(t *testing.T) {
	t.Parallel()
	cfg, err := LoadConfig(lookupFrom(nil))
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}

	if cfg.Env != EnvDevelopment {
		t.Errorf("Env = %q, want development", cfg.Env)
	}
	if cfg.ListenAddress() != "127.0.0.1:3001" {
		t.Errorf("ListenAddress = %q, want 127.0.0.1:3001", cfg.ListenAddress())
	}
	if got := cfg.PostgresURL(); got != "postgres://postgres@localhost:5432/ehrbridge?sslmode=disable" {
		t.Errorf("PostgresURL = %q", got)
	}
	if cfg.EHRTimeout != 15*time.Second {
		t.Errorf("EHRTimeout = %v, want 15s", cfg.EHRTimeout)
	}
}

func TestLoadConfigOriginalVariables(t *testing.T) {
	t.Parallel()
	cfg, err := LoadConfig(lookupFrom(map[string]string{
		"NODE_ENV": "production", "DB_HOST": "db.internal", "DB_PORT": "6432", "DB_USERNAME": "ehr_user",
		"DB_PASSWORD": "s3cret/with?chars", "DB_NAME": "ehr_integration", "PORT": "8080",
		"ENCRYPTION_KEY": testEncryptionKey,
	}))
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}

	if cfg.Env != EnvProduction {
		t.Errorf("NODE_ENV=production gave Env %q", cfg.Env)
	}
	if cfg.ListenAddress() != "0.0.0.0:8080" {
		t.Errorf("ListenAddress = %q, want 0.0.0.0:8080 in production", cfg.ListenAddress())
	}
	want := "postgres://ehr_user:s3cret%2Fwith%3Fchars@db.internal:6432/ehr_integration?sslmode=disable"
	if got := cfg.PostgresURL(); got != want {
		t.Errorf("PostgresURL = %q, want %q", got, want)
	}
	for _, attr := range cfg.Redacted() {
		if s, ok := attr.(string); ok && strings.Contains(s, "s3cret") {
			t.Errorf("Redacted output contains the password: %q", s)
		}
	}
}

func TestDatabaseURLOverridesParts(t *testing.T) {
	t.Parallel()
	cfg, err := LoadConfig(lookupFrom(map[string]string{
		"DATABASE_URL": "postgres://app@10.0.0.5:5433/clinic", "DB_HOST": "ignored",
	}))
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	if got := cfg.PostgresURL(); got != "postgres://app@10.0.0.5:5433/clinic" {
		t.Errorf("PostgresURL = %q, want DATABASE_URL", got)
	}
}

func TestLoadConfigRejectsInvalidValues(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"APP_ENV":           "staging",
		"PORT":              "70000",
		"DB_PORT":           "five",
		"DATABASE_URL":      "mysql://x@y/z",
		"DB_NAME":           "bad-name;",
		"DB_SSLMODE":        "sometimes",
		"DB_MAX_CONNS":      "1",
		"EHR_TIMEOUT":       "15",
		"SYNC_SEND_TIMEOUT": "-1s",
		"MAX_REQUEST_BYTES": "10",
		"LOG_LEVEL":         "loud",
		"LOG_FORMAT":        "xml",
	}
	for variable, value := range cases {
		_, err := LoadConfig(lookupFrom(map[string]string{variable: value}))
		var configErr *ConfigError
		if !errors.As(err, &configErr) {
			t.Errorf("%s=%q: error %v, want *ConfigError", variable, value, err)
			continue
		}
		if configErr.Variable != variable {
			t.Errorf("%s=%q: error names %s", variable, value, configErr.Variable)
		}
		if strings.Contains(err.Error(), value) && variable == "DATABASE_URL" {
			t.Errorf("error repeats the secret value: %v", err)
		}
		if !strings.Contains(err.Error(), "expected") {
			t.Errorf("%s: error %q does not say the accepted form", variable, err)
		}
	}
}

func TestRescueAfterNotShorterThanJobTimeout(t *testing.T) {
	t.Parallel()
	_, err := LoadConfig(lookupFrom(map[string]string{"QUEUE_JOB_TIMEOUT": "10m", "QUEUE_RESCUE_AFTER": "5m"}))
	var configErr *ConfigError
	if !errors.As(err, &configErr) || configErr.Variable != "QUEUE_RESCUE_AFTER" {
		t.Errorf("error %v, want a *ConfigError naming QUEUE_RESCUE_AFTER", err)
	}
}
