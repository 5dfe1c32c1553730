package app

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/auth"
	"ehrbridge/app/ratelimit"
)

// requestLimits are the token buckets of incoming requests: one per API
// key, one per client address for everything else, and the stricter ones
// of sign-in attempts.
type requestLimits struct {
	perKey          *ratelimit.Limiter
	perIP           *ratelimit.Limiter
	loginPerIP      *ratelimit.Limiter
	loginPerAccount *ratelimit.Limiter
}

func newRequestLimits(cfg *Config) *requestLimits {
	loginRate := float64(cfg.LoginAttemptsPerMinute) / 60

	return &requestLimits{
		perKey:          ratelimit.New(cfg.RateLimitPerKey, int(2*cfg.RateLimitPerKey)),
		perIP:           ratelimit.New(cfg.RateLimitPerIP, int(2*cfg.RateLimitPerIP)),
		loginPerIP:      ratelimit.New(loginRate, cfg.LoginAttemptsPerMinute),
		loginPerAccount: ratelimit.New(loginRate, cfg.LoginAttemptsPerMinute),
	}
}

// limitRate responds with 429 and Retry-After when the caller's bucket is
// empty: an API key's own bucket, or else the client address's. The health
// check is never limited, so monitors keep working.
func (a *App) limitRate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Path() == "/health" {
			return next(c)
		}
		principal := principalOf(c)
		limiter, key := a.limits.perIP, "ip:"+c.RealIP()
		if principal.Kind == auth.APIKey {
			limiter, key = a.limits.perKey, "key:"+principal.Name
		}
		if ok, wait := limiter.Allow(key, time.Now()); !ok {
			return tooManyRequests(c, wait)
		}

		return next(c)
	}
}

// tooManyRequests is the 429 response with the seconds to wait.
func tooManyRequests(c echo.Context, wait time.Duration) error {
	c.Response().Header().Set("Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(wait)))

	return newAPIError(http.StatusTooManyRequests, "rate_limited")
}
