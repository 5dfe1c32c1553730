package app

import (
	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
)

// Audited actions.
const (
	auditMappingSave      = "mapping.save"
	auditMappingRollback  = "mapping.rollback"
	auditSystemCreate     = "ehr_system.create"
	auditTransactionRetry = "transaction.retry"
	auditCacheInvalidate  = "cache.invalidate"
	auditCacheClear       = "cache.clear"
	auditSystemUpdate     = "ehr_system.update"
	auditLogin            = "auth.login"
	auditLoginFailed      = "auth.login_failed"
	auditLogout           = "auth.logout"
	auditUserCreate       = "user.create"
	auditUserUpdate       = "user.update"
	auditAPIKeyCreate     = "api_key.create"
	auditAPIKeyRevoke     = "api_key.revoke"
	auditPayloadReveal    = "transaction.payload_reveal"
	auditKeyRotation      = "encryption.rotate_key"
)

// audit records an action in the audit log. The action already happened,
// so a failure to record it is logged, not returned.
func (a *App) audit(c echo.Context, action, target string, details map[string]any) {
	requestID := c.Response().Header().Get(echo.HeaderXRequestID)
	err := a.Store.Audit(c.Request().Context(), store.AuditEvent{
		Actor: principalOf(c).Actor(), Action: action, Target: target,
		RequestID: requestID, ClientIP: c.RealIP(), Details: details,
	})
	if err != nil {
		a.Logger.Error("audit entry not written", "action", action, "target", target, "request_id", requestID, "error", err)
	}
}
