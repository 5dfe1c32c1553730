package app

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"ehrbridge/views"
)

// handleTransactionRetryPage is POST /transactions/:id/retry: queue the
// endpoints of a failed, partially failed or dead transaction that have
// not succeeded, then show its detail page with the new job. A rejected
// retry shows the detail page with the reason.
func (a *App) handleTransactionRetryPage(c echo.Context) error {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return newAPIError(http.StatusNotFound, "transaction_not_found", c.Param("id"))
	}

	body, err := a.retryTransaction(c.Request().Context(), id, retryableStatuses)
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusConflict {
		return a.renderRetryRejected(c, apiErr)
	}
	if err != nil {
		return err
	}
	a.audit(c, auditTransactionRetry, id.String(), map[string]any{"jobId": body.JobID})

	return c.Redirect(http.StatusSeeOther, retriedTransactionURL(id.String(), body.JobID))
}

// renderRetryRejected shows the detail page with a rejected retry's reason.
func (a *App) renderRetryRejected(c echo.Context, rejection *APIError) error {
	props, err := a.transactionDetailProps(c)
	if err != nil {
		return err
	}
	props.RetryError = props.T("error."+rejection.Code, rejection.Args...)
	// The language switch returns to the detail page, since this route
	// takes POST only.
	props.Return = "/transactions/" + props.Transaction.ID

	return render(c, rejection.Status, views.TransactionDetail(props))
}

// retriedTransactionURL is the detail page that announces a queued retry.
func retriedTransactionURL(transactionID string, jobID int64) string {
	return "/transactions/" + transactionID + "?retried=" + strconv.FormatInt(jobID, 10)
}
