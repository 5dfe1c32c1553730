package app

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

// Page sizes of GET /ehr/transactions.
const (
	defaultTransactionPageSize = 50
	maxTransactionPageSize     = 500
)

// statusAliases accepts the status names of the platform ehrbridge
// replaces in the status filter.
var statusAliases = map[string]string{
	"success": ehr.StatusSucceeded,
	"failure": ehr.StatusFailed,
	"partial": ehr.StatusPartiallyFailed,
	"pending": ehr.StatusQueued,
}

type transactionItem struct {
	ID             string  `json:"id"`
	EHRName        string  `json:"ehrName"`
	Mode           string  `json:"mode"`
	Status         string  `json:"status"`
	MappingVersion int     `json:"mappingVersion"`
	EHRPatientID   string  `json:"ehrPatientId,omitempty"`
	Attempts       int     `json:"attempts"`
	EndpointsTotal int     `json:"endpointsTotal"`
	EndpointsDone  int     `json:"endpointsSucceeded"`
	LastError      string  `json:"lastError,omitempty"`
	CreatedAt      string  `json:"createdAt"`
	CompletedAt    *string `json:"completedAt,omitempty"`
}

// handleListTransactions is GET /ehr/transactions: newest first, filtered
// by ehrName, status, from and to, paginated by limit and cursor.
func (a *App) handleListTransactions(c echo.Context) error {
	ctx := c.Request().Context()
	filter, fieldErrs := parseTransactionFilter(c)
	if len(fieldErrs) > 0 {
		return invalidFields(fieldErrs)
	}
	if name := strings.TrimSpace(c.QueryParam("ehrName")); name != "" {
		system, err := a.findSystem(ctx, name)
		if err != nil {
			return err
		}
		filter.EHRSystemID = system.ID
	}

	rows, more, err := a.Store.ListTransactions(ctx, filter)
	if err != nil {
		return storeFailure(err)
	}
	items := make([]transactionItem, len(rows))
	for i, row := range rows {
		items[i] = toTransactionItem(row)
	}
	var next *string
	if more && len(rows) > 0 {
		cursor := rows[len(rows)-1].ID.String()
		next = &cursor
	}

	return c.JSON(http.StatusOK, map[string]any{"transactions": items, "nextCursor": next, "limit": filter.Limit})
}

func parseTransactionFilter(c echo.Context) (store.TransactionFilter, ehr.FieldErrors) {
	var errs ehr.FieldErrors
	filter := store.TransactionFilter{Limit: defaultTransactionPageSize}

	if raw := c.QueryParam("status"); raw != "" {
		status := strings.ToLower(raw)
		if alias, ok := statusAliases[status]; ok {
			status = alias
		}
		if !slices.Contains(ehr.TransactionStatuses, status) {
			errs = append(errs, ehr.FieldError{Field: "status", Code: "invalid_choice", Args: []any{statusChoices()}})
		}
		filter.Status = status
	}
	filter.From = parseTimeParam(c, "from", false, &errs)
	filter.To = parseTimeParam(c, "to", true, &errs)
	if !filter.From.IsZero() && !filter.To.IsZero() && !filter.From.Before(filter.To) {
		errs = append(errs, ehr.FieldError{Field: "to", Code: "not_after_from"})
	}
	filter.Limit = parseLimit(c, defaultTransactionPageSize, maxTransactionPageSize, &errs)
	if raw := c.QueryParam("cursor"); raw != "" {
		id, err := uuid.Parse(raw)
		if err != nil {
			errs = append(errs, ehr.FieldError{Field: "cursor", Code: "invalid_cursor"})
		}
		filter.Before = id
	}

	return filter, errs
}

// parseTimeParam reads an RFC 3339 time or a YYYY-MM-DD date. A date is
// midnight UTC at its start, or at its end when it closes a range, so
// to=2026-12-31 includes that day.
func parseTimeParam(c echo.Context, name string, endOfRange bool, errs *ehr.FieldErrors) time.Time {
	raw := c.QueryParam(name)
	if raw == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, raw); err == nil {
		return t
	}
	if t, err := time.Parse(time.DateOnly, raw); err == nil {
		if endOfRange {
			t = t.AddDate(0, 0, 1)
		}
		return t
	}
	*errs = append(*errs, ehr.FieldError{Field: name, Code: "invalid_time"})

	return time.Time{}
}

func toTransactionItem(row store.TransactionSummary) transactionItem {
	item := transactionItem{
		ID: row.ID.String(), EHRName: row.EHRName, Mode: row.Mode, Status: row.Status,
		MappingVersion: row.MappingVersion, EHRPatientID: row.EHRPatientID, Attempts: row.Attempts,
		EndpointsTotal: row.EndpointsTotal, EndpointsDone: row.EndpointsDone, LastError: row.LastError,
		CreatedAt: row.CreatedAt.UTC().Format(timeFormat),
	}
	if row.CompletedAt != nil {
		completed := row.CompletedAt.UTC().Format(timeFormat)
		item.CompletedAt = &completed
	}

	return item
}

// parseLimit reads the page size of a list: fallback when absent, an
// integer from 1 to max otherwise.
func parseLimit(c echo.Context, fallback, max int, errs *ehr.FieldErrors) int {
	raw := c.QueryParam("limit")
	if raw == "" {
		return fallback
	}
	n, err := strconv.Atoi(raw)
	switch {
	case err != nil:
		*errs = append(*errs, ehr.FieldError{Field: "limit", Code: "must_be_integer"})
	case n < 1 || n > max:
		*errs = append(*errs, ehr.FieldError{Field: "limit", Code: "out_of_range", Args: []any{1, max}})
	}

	return n
}

// statusChoices lists the statuses and aliases the status filter accepts.
func statusChoices() string {
	choices := slices.Clone(ehr.TransactionStatuses)
	for alias := range statusAliases {
		choices = append(choices, alias)
	}
	slices.Sort(choices[len(ehr.TransactionStatuses):])

	return strings.Join(choices, ", ")
}
