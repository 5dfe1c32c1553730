package ehr

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryAfterHeader is the response header in which an EHR sets how long to
// wait before the next call: delay-seconds or an HTTP date (RFC 9110,
// section 10.2.3).
const RetryAfterHeader = "Retry-After"

// maxRetryAfter bounds a parsed Retry-After so that a huge value cannot
// overflow a time.Duration. The queue caps the wait further, at
// QUEUE_RETRY_MAX_DELAY.
const maxRetryAfter = 24 * time.Hour

// ParseRetryAfter reads a Retry-After value as a wait from now. It returns
// zero for an empty or invalid value and for a date that has passed, and
// at most 24 hours.
func ParseRetryAfter(value string, now time.Time) time.Duration {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0
	}
	seconds, err := strconv.ParseUint(value, 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange), err == nil && seconds > uint64(maxRetryAfter/time.Second):
		return maxRetryAfter
	case err == nil:
		return time.Duration(seconds) * time.Second
	}
	date, err := http.ParseTime(value)
	if err != nil {
		return 0
	}

	return min(max(date.Sub(now), 0), maxRetryAfter)
}

// retryAfterOf returns the wait that a 429 or 503 response requests. Other
// statuses return zero, because the header requests a wait only on 429,
// 503 and redirects, and EHR calls follow no redirects.
func retryAfterOf(resp *http.Response, now time.Time) time.Duration {
	if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable {
		return 0
	}

	return ParseRetryAfter(resp.Header.Get(RetryAfterHeader), now)
}
