package app

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

type auditItem struct {
	ID        int64           `json:"id"`
	At        time.Time       `json:"at"`
	Actor     string          `json:"actor"`
	Action    string          `json:"action"`
	Target    string          `json:"target,omitempty"`
	Details   json.RawMessage `json:"details"`
	RequestID string          `json:"requestId,omitempty"`
	ClientIP  string          `json:"clientIp,omitempty"`
}

// handleListAudit is GET /ehr/audit-log: entries newest first, filtered by
// action, actor and target (each an exact match), paginated by limit and
// cursor.
func (a *App) handleListAudit(c echo.Context) error {
	filter := store.AuditFilter{
		Action: c.QueryParam("action"), Actor: c.QueryParam("actor"), Target: c.QueryParam("target"),
		Limit: defaultTransactionPageSize,
	}
	var errs ehr.FieldErrors
	filter.Limit = parseLimit(c, defaultTransactionPageSize, maxTransactionPageSize, &errs)
	if raw := c.QueryParam("cursor"); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < 1 {
			errs = append(errs, ehr.FieldError{Field: "cursor", Code: "invalid_cursor"})
		}
		filter.Before = n
	}
	if len(errs) > 0 {
		return invalidFields(errs)
	}

	entries, more, err := a.Store.ListAudit(c.Request().Context(), filter)
	if err != nil {
		return storeFailure(err)
	}
	items := make([]auditItem, len(entries))
	for i, e := range entries {
		items[i] = auditItem{ID: e.ID, At: e.At, Actor: e.Actor, Action: e.Action, Target: e.Target, Details: e.Details, RequestID: e.RequestID, ClientIP: e.ClientIP}
	}
	var next *string
	if more {
		cursor := strconv.FormatInt(entries[len(entries)-1].ID, 10)
		next = &cursor
	}

	return c.JSON(http.StatusOK, map[string]any{"entries": items, "nextCursor": next})
}
