package app

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
	"ehrbridge/views"
)

// handleTransactionsPage is GET /transactions: transactions newest first,
// filtered and paginated like GET /ehr/transactions. With ?id= it opens
// that transaction's detail page instead.
func (a *App) handleTransactionsPage(c echo.Context) error {
	ctx := c.Request().Context()
	if raw := strings.TrimSpace(c.QueryParam("id")); raw != "" {
		return a.jumpToTransaction(c, raw)
	}
	systems, err := a.Store.ListSystems(ctx)
	if err != nil {
		return storeFailure(err)
	}
	query := a.parseTransactionsQuery(c, systems)
	props := a.transactionsProps(c, systems, query.form)
	if len(query.errors) > 0 {
		props.Errors = query.errors
		return render(c, http.StatusBadRequest, views.Transactions(props))
	}

	rows, more, err := a.Store.ListTransactions(ctx, query.filter)
	if err != nil {
		return storeFailure(err)
	}
	props.Rows = toTransactionsRows(rows)
	if more && len(rows) > 0 {
		props.NextURL = transactionsPageURL(query.form, rows[len(rows)-1].ID.String())
	}
	if c.QueryParam("cursor") != "" {
		props.FirstURL = transactionsPageURL(query.form, "")
	}

	return render(c, http.StatusOK, views.Transactions(props))
}

// jumpToTransaction redirects to the detail page of the transaction whose
// id the user typed, or shows the list with the id marked invalid.
func (a *App) jumpToTransaction(c echo.Context, raw string) error {
	ctx := c.Request().Context()
	status, messageKey := http.StatusBadRequest, "page.transactions.id_invalid"
	if id, err := uuid.Parse(raw); err == nil {
		_, err := a.Store.FindTransaction(ctx, id)
		switch {
		case err == nil:
			return c.Redirect(http.StatusSeeOther, "/transactions/"+id.String())
		case !errors.Is(err, store.ErrNotFound):
			return storeFailure(err)
		}
		status, messageKey = http.StatusNotFound, "page.transactions.id_not_found"
	}

	systems, err := a.Store.ListSystems(ctx)
	if err != nil {
		return storeFailure(err)
	}
	props := a.transactionsProps(c, systems, views.TransactionsFilter{ID: raw})
	props.Errors = map[string]string{"id": props.T(messageKey)}

	return render(c, status, views.Transactions(props))
}

// transactionsProps fills the list page's props that do not depend on
// the rows.
func (a *App) transactionsProps(c echo.Context, systems []store.System, form views.TransactionsFilter) views.TransactionsProps {
	props := views.TransactionsProps{
		Page: a.page(c, "page.transactions.title"), Filter: form, Statuses: ehr.TransactionStatuses,
	}
	for _, system := range systems {
		props.EHRNames = append(props.EHRNames, system.Name)
	}

	return props
}

// transactionsPageURL is the list URL with the same filters and cursor.
func transactionsPageURL(form views.TransactionsFilter, cursor string) string {
	values := url.Values{}
	for key, value := range map[string]string{
		"ehr": form.EHR, "status": form.Status, "from": form.From, "to": form.To, "limit": form.Limit, "cursor": cursor,
	} {
		if value != "" {
			values.Set(key, value)
		}
	}
	if len(values) == 0 {
		return "/transactions"
	}

	return "/transactions?" + values.Encode()
}
