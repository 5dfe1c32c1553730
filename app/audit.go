package app

import (
	"github.com/labstack/echo/v4"
)

// Audited actions.
const (
	auditMappingSave      = "mapping.save"
	auditMappingRollback  = "mapping.rollback"
	auditSystemCreate     = "ehr_system.create"
	auditTransactionRetry = "transaction.retry"
	auditCacheInvalidate  = "cache.invalidate"
	auditCacheClear       = "cache.clear"
)

// anonymousActor is recorded while the server runs without accounts.
const anonymousActor = "anonymous"

// audit records an action in the audit log. The action already happened,
// so a failure to record it is logged, not returned.
func (a *App) audit(c echo.Context, action, target string, details map[string]any) {
	requestID := c.Response().Header().Get(echo.HeaderXRequestID)
	err := a.Store.Audit(c.Request().Context(), actorOf(c), action, target, requestID, details)
	if err != nil {
		a.Logger.Error("audit entry not written", "action", action, "target", target, "request_id", requestID, "error", err)
	}
}

// actorOf names who made the request.
func actorOf(echo.Context) string {
	// TODO: name the signed-in user or API key once authentication exists;
	// until then every entry reads "anonymous".
	return anonymousActor
}
