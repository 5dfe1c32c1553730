package app

import (
	"cmp"
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
// that transaction's detail page, or shows the list with the id's problem
// beside the box.
func (a *App) handleTransactionsPage(c echo.Context) error {
	ctx := c.Request().Context()
	rawID := strings.TrimSpace(c.QueryParam("id"))
	jump, err := a.jumpToTransaction(c, rawID)
	if err != nil || jump.redirect {
		return err
	}
	systems, err := a.Store.ListSystems(ctx)
	if err != nil {
		return storeFailure(err)
	}
	query := a.parseTransactionsQuery(c, systems)
	query.form.ID = rawID
	props := a.transactionsProps(c, systems, query.form)
	filterInvalid := len(query.errors) > 0
	if jump.messageKey != "" {
		query.errors["id"] = props.T(jump.messageKey)
	}
	if len(query.errors) > 0 {
		props.Errors = query.errors
	}
	if filterInvalid {
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

	return render(c, cmp.Or(jump.status, http.StatusOK), views.Transactions(props))
}

// transactionJump is the outcome of the "open a transaction" box: a
// redirect already sent, or the status and message key of its problem.
type transactionJump struct {
	redirect   bool
	status     int
	messageKey string
}

// jumpToTransaction redirects to the detail page of the transaction whose
// id the user typed. An empty id does nothing; a malformed or unknown one
// gives its status and message.
func (a *App) jumpToTransaction(c echo.Context, raw string) (transactionJump, error) {
	if raw == "" {
		return transactionJump{}, nil
	}
	id, err := uuid.Parse(raw)
	if err != nil {
		return transactionJump{status: http.StatusBadRequest, messageKey: "page.transactions.id_invalid"}, nil
	}
	_, err = a.Store.FindTransaction(c.Request().Context(), id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return transactionJump{status: http.StatusNotFound, messageKey: "page.transactions.id_not_found"}, nil
	case err != nil:
		return transactionJump{}, storeFailure(err)
	}

	return transactionJump{redirect: true}, c.Redirect(http.StatusSeeOther, "/transactions/"+id.String())
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
