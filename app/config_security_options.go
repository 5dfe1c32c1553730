package app

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// securityConfigOptions are the variables of authentication, encryption
// and request limits.
var securityConfigOptions = []configOption{
	{Name: "AUTH_REQUIRED", Accepted: "true or false", Help: "require a signed-in account or an API key on every route but /health and the sign-in page; always true in production",
		set: func(c *Config, raw string) error {
			if raw == "" {
				c.AuthRequired = !c.Development()
				return nil
			}
			required, err := strconv.ParseBool(raw)
			c.AuthRequired = required
			return err
		}},
	{Name: "ENCRYPTION_KEY", Accepted: "id:base64 of 32 random bytes, as printed by `ehrbridge genkey`", Secret: true,
		Help: "key that encrypts patient payloads and EHR responses at rest (AES-256-GCM); required in production",
		set:  func(c *Config, raw string) error { c.EncryptionKey = raw; return nil }},
	{Name: "ENCRYPTION_PREVIOUS_KEYS", Accepted: "a comma-separated list of id:base64 keys", Secret: true,
		Help: "older keys still accepted for reading, until `ehrbridge rotate-key` has re-encrypted every row",
		set:  func(c *Config, raw string) error { c.EncryptionPreviousKeys = raw; return nil }},
	{Name: "PAYLOAD_RETENTION", Default: "2160h", Accepted: "a duration of at least 1h, such as 2160h, or 0 to keep payloads",
		Help: "age after which the patient payload and EHR response of a finished transaction are deleted; the transaction's metadata stays",
		set: func(c *Config, raw string) error {
			if raw == "0" {
				c.PayloadRetention = 0
				return nil
			}
			return durationInRange(raw, time.Hour, 100*365*24*time.Hour, &c.PayloadRetention)
		}},
	{Name: "SESSION_MAX_AGE", Default: "12h", Accepted: "a duration from 5m to 720h, such as 12h", Help: "longest a UI sign-in lasts",
		set: func(c *Config, raw string) error {
			return durationInRange(raw, 5*time.Minute, 720*time.Hour, &c.SessionMaxAge)
		}},
	{Name: "SESSION_IDLE_TIMEOUT", Default: "30m", Accepted: "a duration from 1m to 24h, such as 30m", Help: "a UI sign-in ends after this long without a request",
		set: func(c *Config, raw string) error {
			return durationInRange(raw, time.Minute, 24*time.Hour, &c.SessionIdleTimeout)
		}},
	{Name: "RATE_LIMIT_PER_KEY", Default: "100", Accepted: "requests per second from 0 (no limit) to 1000000", Help: "requests per second allowed to each API key, with bursts of twice that",
		set: func(c *Config, raw string) error { return floatInRange(raw, 0, 1e6, &c.RateLimitPerKey) }},
	{Name: "RATE_LIMIT_PER_IP", Default: "30", Accepted: "requests per second from 0 (no limit) to 1000000", Help: "requests per second allowed to each client address without an API key, with bursts of twice that",
		set: func(c *Config, raw string) error { return floatInRange(raw, 0, 1e6, &c.RateLimitPerIP) }},
	{Name: "LOGIN_ATTEMPTS_PER_MINUTE", Default: "10", Accepted: "an integer from 1 to 1000", Help: "sign-in attempts allowed per minute to each client address and to each user name",
		set: func(c *Config, raw string) error { return intInRange(raw, 1, 1000, &c.LoginAttemptsPerMinute) }},
	{Name: "TRUSTED_PROXIES", Accepted: "a comma-separated list of IP ranges, such as 10.0.0.0/8", Help: "reverse proxies whose X-Forwarded-For names the client address; empty trusts none",
		set: func(c *Config, raw string) error {
			c.TrustedProxies = nil
			for _, part := range strings.Split(raw, ",") {
				if part = strings.TrimSpace(part); part == "" {
					continue
				}
				_, network, err := net.ParseCIDR(part)
				if err != nil {
					return err
				}
				c.TrustedProxies = append(c.TrustedProxies, network)
			}
			return nil
		}},
}

func floatInRange(raw string, low, high float64, dst *float64) error {
	n, err := strconv.ParseFloat(raw, 64)
	if err != nil || n < low || n > high {
		return fmt.Errorf("number out of range")
	}
	*dst = n

	return nil
}
