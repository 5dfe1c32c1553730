package app

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"ehrbridge/app/seal"
)

// Environments the binary runs in.
const (
	EnvDevelopment = "development"
	EnvProduction  = "production"
)

// Config is every setting read from the environment at start. Options in
// config_options.go declare each variable once with its default, form and
// whether it is a secret.
type Config struct {
	Env             string
	Host            string
	Port            int
	DatabaseURL     string
	DBHost          string
	DBPort          int
	DBUsername      string
	DBPassword      string
	DBName          string
	DBSSLMode       string
	DBMaxConns      int
	EHRTimeout      time.Duration
	SyncSendTimeout time.Duration
	ShutdownTimeout time.Duration
	MaxRequestBytes int64
	LogLevel        slog.Level
	LogFormat       string
	SimPort         int
	PprofAddr       string

	QueueConcurrency   int
	QueueRetryAttempts int
	QueueRetryBase     time.Duration
	QueueRetryMax      time.Duration
	QueuePollInterval  time.Duration
	QueueFetchCooldown time.Duration
	QueueJobTimeout    time.Duration
	QueueRescueAfter   time.Duration
	BulkMaxPatients    int
	MaxBulkBytes       int64

	RedisURL      string
	RedisHost     string
	RedisPort     int
	RedisPassword string
	RedisDB       int
	RedisTimeout  time.Duration
	CacheTTL      time.Duration
	CacheMaxItems int
	CacheLocalTTL time.Duration
	CachePrefix   string

	AuthRequired           bool
	EncryptionKey          string
	EncryptionPreviousKeys string
	PayloadRetention       time.Duration
	SessionMaxAge          time.Duration
	SessionIdleTimeout     time.Duration
	RateLimitPerKey        float64
	RateLimitPerIP         float64
	LoginAttemptsPerMinute int
	TrustedProxies         []*net.IPNet
	// Keyring is parsed from ENCRYPTION_KEY and ENCRYPTION_PREVIOUS_KEYS.
	Keyring *seal.Keyring
}

// Development reports whether the binary runs in development mode.
func (c *Config) Development() bool {
	return c.Env == EnvDevelopment
}

// ListenAddress is the host:port the HTTP server binds.
func (c *Config) ListenAddress() string {
	return fmt.Sprintf("%s:%d", c.Host, c.Port)
}

// PostgresURL is the connection URL of the application database, built
// from DATABASE_URL when it is set and from the DB_* variables otherwise.
func (c *Config) PostgresURL() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	u := url.URL{
		Scheme:   "postgres",
		Host:     fmt.Sprintf("%s:%d", c.DBHost, c.DBPort),
		Path:     "/" + c.DBName,
		RawQuery: "sslmode=" + url.QueryEscape(c.DBSSLMode),
	}
	if c.DBPassword != "" {
		u.User = url.UserPassword(c.DBUsername, c.DBPassword)
	} else {
		u.User = url.User(c.DBUsername)
	}

	return u.String()
}

// ConfigError names the variable that holds an invalid value and the form
// it accepts. It never repeats a secret's value.
type ConfigError struct {
	Variable string
	Accepted string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("invalid environment variable %s: expected %s", e.Variable, e.Accepted)
}

// LoadConfig reads the configuration from lookup (os.LookupEnv in the
// binary). The first invalid variable stops it with a *ConfigError.
func LoadConfig(lookup func(string) (string, bool)) (*Config, error) {
	cfg := &Config{}
	for _, opt := range allConfigOptions() {
		raw, set := lookup(opt.Name)
		raw = strings.TrimSpace(raw)
		if !set || raw == "" {
			raw = opt.defaultFor(lookup)
		}
		if err := opt.apply(cfg, raw); err != nil {
			return nil, &ConfigError{Variable: opt.Name, Accepted: opt.Accepted}
		}
	}
	cfg.finish()
	if cfg.QueueRescueAfter < cfg.QueueJobTimeout {
		return nil, &ConfigError{Variable: "QUEUE_RESCUE_AFTER", Accepted: "a duration no shorter than QUEUE_JOB_TIMEOUT"}
	}
	if err := cfg.checkSecurity(); err != nil {
		return nil, err
	}

	return cfg, nil
}

// allConfigOptions lists every variable in the order they are read;
// AUTH_REQUIRED follows APP_ENV, whose value sets its default.
func allConfigOptions() []configOption {
	return append(append([]configOption{}, configOptions...), securityConfigOptions...)
}

// checkSecurity rejects settings that would expose patient data:
// production without authentication or without an encryption key, and
// development reachable from the network without authentication.
func (c *Config) checkSecurity() error {
	keyring, err := seal.ParseKeyring(c.EncryptionKey, c.EncryptionPreviousKeys)
	if errors.Is(err, seal.ErrDuplicateKeyID) {
		return &ConfigError{Variable: "ENCRYPTION_PREVIOUS_KEYS", Accepted: "keys whose ids differ from each other and from the id of ENCRYPTION_KEY"}
	}
	if err != nil {
		return &ConfigError{Variable: "ENCRYPTION_KEY", Accepted: "id:base64 of 32 random bytes (see `ehrbridge genkey`), with ENCRYPTION_PREVIOUS_KEYS in the same form"}
	}
	c.Keyring = keyring

	if c.Development() {
		if !c.AuthRequired && !isLoopback(c.Host) {
			return &ConfigError{Variable: "HOST", Accepted: "a loopback address such as 127.0.0.1 while AUTH_REQUIRED is false"}
		}
		return nil
	}
	if !c.AuthRequired {
		return &ConfigError{Variable: "AUTH_REQUIRED", Accepted: "true (or unset) in production"}
	}
	if !keyring.Enabled() {
		return &ConfigError{Variable: "ENCRYPTION_KEY", Accepted: "a key in production: id:base64 of 32 random bytes, as printed by `ehrbridge genkey`"}
	}

	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)

	return ip != nil && ip.IsLoopback()
}

// finish fills the settings that follow from others.
func (c *Config) finish() {
	if c.Host == "" {
		c.Host = "127.0.0.1"
		if !c.Development() {
			c.Host = "0.0.0.0"
		}
	}
}

// Redacted lists each variable with its effective value for start-up logs,
// with secrets and passwords inside URLs replaced.
func (c *Config) Redacted() []any {
	attrs := []any{
		"env", c.Env,
		"listen", c.ListenAddress(),
		"database", redactURL(c.PostgresURL()),
		"ehr_timeout", c.EHRTimeout.String(),
		"auth_required", c.AuthRequired,
		"encryption_key_id", c.Keyring.CurrentID(),
		"log_level", c.LogLevel.String(),
	}

	return attrs
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable)"
	}
	if _, hasPassword := u.User.Password(); hasPassword {
		u.User = url.UserPassword(u.User.Username(), "REDACTED")
	}

	return u.String()
}
