package cache

import (
	"context"
	"errors"
	"net"
	"regexp"
	"strings"
)

// maxReasonLength bounds the reason kept for a Redis failure.
const maxReasonLength = 200

// urlCredentials matches the user-information part of a URL.
var urlCredentials = regexp.MustCompile(`://[^/@\s]*@`)

// sanitizeReason describes err for RedisHealth.Reason and logs, with any
// known secret and any URL credentials masked.
func sanitizeReason(err error, secrets []string) string {
	reason := err.Error()
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()) {
		reason = "timeout: " + reason
	}
	for _, secret := range secrets {
		reason = strings.ReplaceAll(reason, secret, "***")
	}
	reason = urlCredentials.ReplaceAllString(reason, "://***@")
	if len(reason) > maxReasonLength {
		reason = strings.ToValidUTF8(reason[:maxReasonLength], "") + "…"
	}

	return reason
}
