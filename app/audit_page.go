package app

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
	"ehrbridge/views"
)

// Audit page limits.
const (
	auditPageSize = 50
	// auditFilterMaxLength is the most characters the actor and target
	// filters take. It is above the longest actor ehrbridge writes: an API
	// key's "api_key:<id> (<name of up to 100 characters>)".
	auditFilterMaxLength = 200
)

// auditActions lists every audited action in the order the filter offers
// them. A test checks that it names each action constant.
var auditActions = []string{
	auditLogin, auditLoginFailed, auditLogout,
	auditUserCreate, auditUserUpdate, auditAPIKeyCreate, auditAPIKeyRevoke,
	auditMappingSave, auditMappingRollback, auditSystemCreate, auditSystemUpdate,
	auditCacheInvalidate, auditCacheClear, auditTransactionRetry, auditPayloadReveal, auditKeyRotation,
}

// handleAuditPage is GET /audit: the audit log newest first, filtered by
// action, actor and target (each an exact match) and paginated by the
// before cursor. An invalid filter shows the form with its error and 400.
func (a *App) handleAuditPage(c echo.Context) error {
	page := a.page(c, "page.audit.title")
	props := views.AuditProps{
		Page: page, Actions: auditActions, MaxFilterLength: auditFilterMaxLength,
		Filter: views.AuditFilterForm{
			Action: c.QueryParam("action"),
			Actor:  strings.TrimSpace(c.QueryParam("actor")),
			Target: strings.TrimSpace(c.QueryParam("target")),
		},
	}
	filter, errs := readAuditFilter(page, props.Filter, c.QueryParam("before"))
	if len(errs) > 0 {
		props.Errors = errs
		return render(c, http.StatusBadRequest, views.Audit(props))
	}

	entries, more, err := a.Store.ListAudit(c.Request().Context(), filter)
	if err != nil {
		return storeFailure(err)
	}
	for _, entry := range entries {
		props.Entries = append(props.Entries, auditRow(entry))
	}
	if filter.Before > 0 {
		props.FirstURL = auditPageURL(props.Filter, 0)
	}
	if more {
		props.NextURL = auditPageURL(props.Filter, entries[len(entries)-1].ID)
	}

	return render(c, http.StatusOK, views.Audit(props))
}

// readAuditFilter checks the filter form and the before cursor. It returns
// the store filter and the translated errors by field name.
func readAuditFilter(page views.Page, form views.AuditFilterForm, before string) (store.AuditFilter, map[string]string) {
	filter := store.AuditFilter{Action: form.Action, Actor: form.Actor, Target: form.Target, Limit: auditPageSize}
	errs := map[string]string{}
	if form.Action != "" && !slices.Contains(auditActions, form.Action) {
		errs["action"] = page.T("page.audit.error.action")
	}
	for field, value := range map[string]string{"actor": form.Actor, "target": form.Target} {
		if utf8.RuneCountInString(value) > auditFilterMaxLength {
			errs[field] = page.T("page.audit.error.too_long", auditFilterMaxLength)
		}
	}
	if before != "" {
		n, err := strconv.ParseInt(before, 10, 64)
		if err != nil || n < 1 {
			errs["before"] = page.T("page.audit.error.before")
		}
		filter.Before = n
	}

	return filter, errs
}

// auditPageURL is the audit page with the filter, older than the entry
// before when it is positive.
func auditPageURL(form views.AuditFilterForm, before int64) string {
	query := url.Values{}
	for field, value := range map[string]string{"action": form.Action, "actor": form.Actor, "target": form.Target} {
		if value != "" {
			query.Set(field, value)
		}
	}
	if before > 0 {
		query.Set("before", strconv.FormatInt(before, 10))
	}
	if len(query) == 0 {
		return "/audit"
	}

	return "/audit?" + query.Encode()
}

// auditRow shows an entry with its details as compact JSON, or none when
// the details are empty.
func auditRow(entry store.AuditEntry) views.AuditRow {
	row := views.AuditRow{
		ID: entry.ID, At: entry.At, Actor: entry.Actor, Action: entry.Action, Target: entry.Target,
		ClientIP: entry.ClientIP, RequestID: entry.RequestID,
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, entry.Details); err != nil {
		// PostgreSQL returns jsonb as valid JSON; show it as stored anyway.
		row.Details = string(entry.Details)
		return row
	}
	if details := compact.String(); details != "{}" && details != "null" {
		row.Details = details
	}

	return row
}
