package app

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// configOption declares one environment variable.
type configOption struct {
	Name     string
	Default  string
	Accepted string
	Secret   bool
	Help     string
	// Fallback names an older variable read when Name is unset, such as
	// NODE_ENV for APP_ENV.
	Fallback string
	set      func(c *Config, raw string) error
}

func (o configOption) defaultFor(lookup func(string) (string, bool)) string {
	if o.Fallback != "" {
		if raw, ok := lookup(o.Fallback); ok && strings.TrimSpace(raw) != "" {
			return strings.TrimSpace(raw)
		}
	}

	return o.Default
}

func (o configOption) apply(c *Config, raw string) error {
	return o.set(c, raw)
}

// configOptions is every environment variable ehrbridge reads. The README's
// configuration table follows this list.
var configOptions = []configOption{
	{Name: "APP_ENV", Default: EnvDevelopment, Fallback: "NODE_ENV", Accepted: "development or production",
		Help: "development binds 127.0.0.1 and mounts the EHR simulator under /sim/",
		set: func(c *Config, raw string) error {
			c.Env = strings.ToLower(raw)
			return oneOf(c.Env, EnvDevelopment, EnvProduction)
		}},
	{Name: "HOST", Accepted: "a host name or IP address", Help: "address to bind; default 127.0.0.1 in development, 0.0.0.0 in production",
		set: func(c *Config, raw string) error { c.Host = raw; return nil }},
	{Name: "PORT", Default: "3001", Accepted: "a port number from 1 to 65535", Help: "HTTP port",
		set: func(c *Config, raw string) error { return intInRange(raw, 1, 65535, &c.Port) }},
	{Name: "DATABASE_URL", Accepted: "a postgres:// or postgresql:// URL", Secret: true,
		Help: "PostgreSQL connection URL; overrides the DB_* variables",
		set:  func(c *Config, raw string) error { c.DatabaseURL = raw; return postgresURL(raw) }},
	{Name: "DB_HOST", Default: "localhost", Accepted: "a host name or IP address", Help: "PostgreSQL host",
		set: func(c *Config, raw string) error { c.DBHost = raw; return nil }},
	{Name: "DB_PORT", Default: "5432", Accepted: "a port number from 1 to 65535", Help: "PostgreSQL port",
		set: func(c *Config, raw string) error { return intInRange(raw, 1, 65535, &c.DBPort) }},
	{Name: "DB_USERNAME", Default: "postgres", Accepted: "a PostgreSQL role name", Help: "PostgreSQL user",
		set: func(c *Config, raw string) error { c.DBUsername = raw; return nil }},
	{Name: "DB_PASSWORD", Accepted: "any string", Secret: true, Help: "PostgreSQL password",
		set: func(c *Config, raw string) error { c.DBPassword = raw; return nil }},
	{Name: "DB_NAME", Default: "ehrbridge", Accepted: "a database name of letters, digits and _", Help: "database, created when missing",
		set: func(c *Config, raw string) error { c.DBName = raw; return identifier(raw) }},
	{Name: "DB_SSLMODE", Default: "disable", Accepted: "disable, allow, prefer, require, verify-ca or verify-full", Help: "PostgreSQL sslmode",
		set: func(c *Config, raw string) error {
			c.DBSSLMode = raw
			return oneOf(raw, "disable", "allow", "prefer", "require", "verify-ca", "verify-full")
		}},
	{Name: "DB_MAX_CONNS", Default: "20", Accepted: "an integer from 2 to 1000", Help: "PostgreSQL pool size",
		set: func(c *Config, raw string) error { return intInRange(raw, 2, 1000, &c.DBMaxConns) }},
	{Name: "EHR_TIMEOUT", Default: "15s", Accepted: "a duration from 100ms to 5m, such as 15s", Help: "time limit of one EHR call",
		set: func(c *Config, raw string) error {
			return durationInRange(raw, 100*time.Millisecond, 5*time.Minute, &c.EHRTimeout)
		}},
	{Name: "SYNC_SEND_TIMEOUT", Default: "60s", Accepted: "a duration from 1s to 10m, such as 60s", Help: "time limit of a whole synchronous send",
		set: func(c *Config, raw string) error {
			return durationInRange(raw, time.Second, 10*time.Minute, &c.SyncSendTimeout)
		}},
	{Name: "SHUTDOWN_TIMEOUT", Default: "30s", Accepted: "a duration from 0s to 10m, such as 30s", Help: "grace period for requests in flight at shutdown",
		set: func(c *Config, raw string) error { return durationInRange(raw, 0, 10*time.Minute, &c.ShutdownTimeout) }},
	{Name: "MAX_REQUEST_BYTES", Default: "1048576", Accepted: "an integer from 1024 to 104857600", Help: "largest request body accepted, in bytes",
		set: func(c *Config, raw string) error {
			var n int
			err := intInRange(raw, 1024, 100<<20, &n)
			c.MaxRequestBytes = int64(n)
			return err
		}},
	{Name: "QUEUE_CONCURRENCY", Default: "10", Accepted: "an integer from 1 to 1000", Help: "queue jobs worked at once by each process",
		set: func(c *Config, raw string) error { return intInRange(raw, 1, 1000, &c.QueueConcurrency) }},
	{Name: "QUEUE_RETRY_ATTEMPTS", Default: "10", Accepted: "an integer from 1 to 100", Help: "delivery attempts of an asynchronous send before it is dead",
		set: func(c *Config, raw string) error { return intInRange(raw, 1, 100, &c.QueueRetryAttempts) }},
	{Name: "QUEUE_RETRY_BASE_DELAY", Default: "2s", Accepted: "a duration from 10ms to 10m, such as 2s", Help: "wait before the first retry; doubles with each attempt",
		set: func(c *Config, raw string) error {
			return durationInRange(raw, 10*time.Millisecond, 10*time.Minute, &c.QueueRetryBase)
		}},
	{Name: "QUEUE_RETRY_MAX_DELAY", Default: "10m", Accepted: "a duration from 10ms to 24h, such as 10m", Help: "longest wait between two attempts",
		set: func(c *Config, raw string) error {
			return durationInRange(raw, 10*time.Millisecond, 24*time.Hour, &c.QueueRetryMax)
		}},
	{Name: "QUEUE_POLL_INTERVAL", Default: "1s", Accepted: "a duration from 10ms to 1m, such as 1s", Help: "how often workers look for due jobs besides notifications",
		set: func(c *Config, raw string) error {
			return durationInRange(raw, 10*time.Millisecond, time.Minute, &c.QueuePollInterval)
		}},
	{Name: "QUEUE_FETCH_COOLDOWN", Default: "10ms", Accepted: "a duration from 1ms to 1s, such as 10ms", Help: "shortest gap between two fetches of due jobs; each fetch takes up to QUEUE_CONCURRENCY jobs, so this bounds throughput",
		set: func(c *Config, raw string) error {
			return durationInRange(raw, time.Millisecond, time.Second, &c.QueueFetchCooldown)
		}},
	{Name: "QUEUE_JOB_TIMEOUT", Default: "5m", Accepted: "a duration from 1s to 1h, such as 5m", Help: "time limit of one delivery attempt",
		set: func(c *Config, raw string) error {
			return durationInRange(raw, time.Second, time.Hour, &c.QueueJobTimeout)
		}},
	{Name: "QUEUE_RESCUE_AFTER", Default: "10m", Accepted: "a duration from 1s to 24h, such as 10m", Help: "when a job left running by a crashed process is worked again",
		set: func(c *Config, raw string) error {
			return durationInRange(raw, time.Second, 24*time.Hour, &c.QueueRescueAfter)
		}},
	{Name: "BULK_MAX_PATIENTS", Default: "1000", Accepted: "an integer from 1 to 100000", Help: "most patients in one bulk request",
		set: func(c *Config, raw string) error { return intInRange(raw, 1, 100000, &c.BulkMaxPatients) }},
	{Name: "MAX_BULK_REQUEST_BYTES", Default: "20971520", Accepted: "an integer from 1024 to 1073741824", Help: "largest bulk request body, in bytes",
		set: func(c *Config, raw string) error {
			var n int
			err := intInRange(raw, 1024, 1<<30, &n)
			c.MaxBulkBytes = int64(n)
			return err
		}},
	{Name: "REDIS_URL", Accepted: "a redis:// or rediss:// URL", Secret: true,
		Help: "Redis connection URL; overrides the REDIS_* variables",
		set:  func(c *Config, raw string) error { c.RedisURL = raw; return redisURL(raw) }},
	{Name: "REDIS_HOST", Default: "localhost", Accepted: "a host name or IP address", Help: "Redis host",
		set: func(c *Config, raw string) error { c.RedisHost = raw; return nil }},
	{Name: "REDIS_PORT", Default: "6379", Accepted: "a port number from 1 to 65535", Help: "Redis port",
		set: func(c *Config, raw string) error { return intInRange(raw, 1, 65535, &c.RedisPort) }},
	{Name: "REDIS_PASSWORD", Accepted: "any string", Secret: true, Help: "Redis password",
		set: func(c *Config, raw string) error { c.RedisPassword = raw; return nil }},
	{Name: "REDIS_DB", Default: "0", Accepted: "an integer from 0 to 15", Help: "Redis database number",
		set: func(c *Config, raw string) error { return intInRange(raw, 0, 15, &c.RedisDB) }},
	{Name: "REDIS_TIMEOUT", Default: "100ms", Accepted: "a duration from 5ms to 10s, such as 100ms", Help: "time limit of one Redis operation; slower counts as Redis down",
		set: func(c *Config, raw string) error {
			return durationInRange(raw, 5*time.Millisecond, 10*time.Second, &c.RedisTimeout)
		}},
	{Name: "CACHE_TTL", Default: "3600", Accepted: "a number of seconds from 1 to 604800", Help: "lifetime of a mapping in Redis, in seconds",
		set: func(c *Config, raw string) error {
			var seconds int
			err := intInRange(raw, 1, 604800, &seconds)
			c.CacheTTL = time.Duration(seconds) * time.Second
			return err
		}},
	{Name: "CACHE_MAX_ITEMS", Default: "1000", Accepted: "an integer from 1 to 1000000", Help: "most mappings kept in each process",
		set: func(c *Config, raw string) error { return intInRange(raw, 1, 1000000, &c.CacheMaxItems) }},
	{Name: "CACHE_LOCAL_TTL", Default: "30s", Accepted: "a duration from 10ms to 1h, such as 30s", Help: "longest a process keeps a mapping without asking Redis; bounds staleness if an invalidation message is lost",
		set: func(c *Config, raw string) error {
			return durationInRange(raw, 10*time.Millisecond, time.Hour, &c.CacheLocalTTL)
		}},
	{Name: "CACHE_PREFIX", Default: "ehrbridge:", Accepted: "1 to 64 characters without spaces", Help: "prefix of every Redis key and channel",
		set: func(c *Config, raw string) error {
			c.CachePrefix = raw
			if len(raw) > 64 || strings.ContainsAny(raw, " \t\n") {
				return fmt.Errorf("invalid prefix")
			}
			return nil
		}},
	{Name: "LOG_LEVEL", Default: "info", Accepted: "debug, info, warn or error", Help: "lowest log level written",
		set: func(c *Config, raw string) error { return c.LogLevel.UnmarshalText([]byte(raw)) }},
	{Name: "LOG_FORMAT", Default: "text", Accepted: "text or json", Help: "log line format",
		set: func(c *Config, raw string) error {
			c.LogFormat = strings.ToLower(raw)
			return oneOf(c.LogFormat, "text", "json")
		}},
	{Name: "PPROF_ADDR", Accepted: "a loopback host:port such as 127.0.0.1:6060, or empty", Help: "serve Go's pprof profiles on this address (off when empty); loopback only, since profiles can hold request data",
		set: func(c *Config, raw string) error { c.PprofAddr = raw; return loopbackAddress(raw) }},
	{Name: "SIM_PORT", Default: "3002", Accepted: "a port number from 1 to 65535", Help: "port of `ehrbridge sim`",
		set: func(c *Config, raw string) error { return intInRange(raw, 1, 65535, &c.SimPort) }},
}

func oneOf(value string, allowed ...string) error {
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}

	return fmt.Errorf("value not allowed")
}

func intInRange(raw string, low, high int, dst *int) error {
	n, err := strconv.Atoi(raw)
	if err != nil || n < low || n > high {
		return fmt.Errorf("integer out of range")
	}
	*dst = n

	return nil
}

func durationInRange(raw string, low, high time.Duration, dst *time.Duration) error {
	d, err := time.ParseDuration(raw)
	if err != nil || d < low || d > high {
		return fmt.Errorf("duration out of range")
	}
	*dst = d

	return nil
}

func postgresURL(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		return fmt.Errorf("not a postgres URL")
	}

	return nil
}

func identifier(raw string) error {
	if raw == "" || len(raw) > 63 {
		return fmt.Errorf("bad identifier length")
	}
	for _, r := range raw {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return fmt.Errorf("bad identifier character")
		}
	}

	return nil
}

func loopbackAddress(raw string) error {
	if raw == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(raw)
	if err != nil || !isLoopback(host) {
		return fmt.Errorf("not a loopback address")
	}

	return nil
}

func redisURL(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
		return fmt.Errorf("not a redis URL")
	}

	return nil
}
