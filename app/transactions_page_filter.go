package app

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
	"ehrbridge/views"
)

// Page sizes of the transaction list page.
const (
	defaultTransactionsPageSize = 25
	maxTransactionsPageSize     = 100
)

// transactionsQuery is the transaction list page's query, read and checked.
type transactionsQuery struct {
	form   views.TransactionsFilter
	filter store.TransactionFilter
	// errors maps a form field name to its translated message.
	errors map[string]string
}

// parseTransactionsQuery reads the list filters: ehr (a configured EHR
// name), status, from and to (dates, to included), cursor and limit.
// systems are the configured EHR systems.
func (a *App) parseTransactionsQuery(c echo.Context, systems []store.System) transactionsQuery {
	q := transactionsQuery{
		form: views.TransactionsFilter{
			EHR: strings.TrimSpace(c.QueryParam("ehr")), Status: c.QueryParam("status"),
			From: c.QueryParam("from"), To: c.QueryParam("to"), Limit: c.QueryParam("limit"),
		},
		filter: store.TransactionFilter{Limit: defaultTransactionsPageSize},
		errors: map[string]string{},
	}
	tag := a.requestLanguage(c)
	fail := func(field, labelKey, code string, args ...any) {
		label := a.Catalog.Text(tag, labelKey)
		q.errors[field] = a.Catalog.FieldMessage(tag, ehr.FieldError{Field: label, Code: code, Args: args})
	}

	if q.form.EHR != "" {
		system, ok := systemByName(systems, q.form.EHR)
		if !ok {
			fail("ehr", "page.transactions.ehr", "invalid_choice", systemNames(systems))
		}
		q.filter.EHRSystemID, q.form.EHR = system.ID, cmp.Or(system.Name, q.form.EHR)
	}
	if q.form.Status != "" && !slices.Contains(ehr.TransactionStatuses, q.form.Status) {
		fail("status", "page.transactions.status", "invalid_choice", strings.Join(ehr.TransactionStatuses, ", "))
	}
	q.filter.Status = q.form.Status
	q.parseDates(a, tag, fail)
	q.parseLimit(fail)
	if raw := c.QueryParam("cursor"); raw != "" {
		cursor, err := uuid.Parse(raw)
		if err != nil {
			fail("cursor", "page.transactions.cursor", "invalid_cursor")
		}
		q.filter.Before = cursor
	}

	return q
}

// parseDates reads from and to as whole days in UTC, and the to day is
// included.
func (q *transactionsQuery) parseDates(a *App, tag language.Tag, fail func(field, labelKey, code string, args ...any)) {
	from, fromOK := parseFilterDate(q.form.From)
	if !fromOK {
		fail("from", "page.transactions.from", "invalid_date")
	}
	to, toOK := parseFilterDate(q.form.To)
	if !toOK {
		fail("to", "page.transactions.to", "invalid_date")
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		q.errors["to"] = a.Catalog.Text(tag, "page.transactions.to_before_from")
	}
	q.filter.From = from
	if !to.IsZero() {
		q.filter.To = to.AddDate(0, 0, 1)
	}
}

// parseLimit reads the page size, 1 to maxTransactionsPageSize.
func (q *transactionsQuery) parseLimit(fail func(field, labelKey, code string, args ...any)) {
	if q.form.Limit == "" {
		return
	}
	n, err := strconv.Atoi(q.form.Limit)
	switch {
	case err != nil:
		fail("limit", "page.transactions.limit", "must_be_integer")
	case n < 1 || n > maxTransactionsPageSize:
		fail("limit", "page.transactions.limit", "out_of_range", 1, maxTransactionsPageSize)
	default:
		q.filter.Limit = n
	}
}

// parseFilterDate reads a YYYY-MM-DD date as midnight UTC. An empty value
// is the zero time and valid.
func parseFilterDate(raw string) (time.Time, bool) {
	if raw == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(time.DateOnly, raw)

	return t, err == nil
}

// systemByName finds a system by its name, ignoring case.
func systemByName(systems []store.System, name string) (store.System, bool) {
	for _, system := range systems {
		if strings.EqualFold(system.Name, name) {
			return system, true
		}
	}

	return store.System{}, false
}

// systemNames lists the systems' names, joined for a message.
func systemNames(systems []store.System) string {
	names := make([]string, len(systems))
	for i, system := range systems {
		names[i] = system.Name
	}

	return strings.Join(names, ", ")
}
