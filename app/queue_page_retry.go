package app

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river/rivertype"

	"ehrbridge/views"
)

// handleQueueJobRetryPage is POST /queue/jobs/:id/retry: retry the
// transaction a delivery job belongs to, with the rules of
// POST /ehr/queue/retry/:jobId, then show the transaction with its new job.
// When the job is no longer its transaction's current job, or the
// transaction's status no longer allows a retry, it shows the queue page
// with a notice instead.
func (a *App) handleQueueJobRetryPage(c echo.Context) error {
	ctx := c.Request().Context()
	raw := c.Param("id")
	jobID, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || jobID < 1 {
		return newAPIError(http.StatusNotFound, "job_not_found", raw)
	}
	job, err := a.Queue.JobGet(ctx, jobID)
	if errors.Is(err, rivertype.ErrNotFound) {
		return newAPIError(http.StatusNotFound, "job_not_found", raw)
	}
	if err != nil {
		return storeFailure(err)
	}
	var args deliveryArgs
	if json.Unmarshal(job.EncodedArgs, &args) != nil {
		return newAPIError(http.StatusNotFound, "job_not_found", raw)
	}
	id, err := uuid.Parse(args.TransactionID)
	if err != nil {
		return newAPIError(http.StatusNotFound, "job_not_found", raw)
	}
	txns, err := a.Store.FindJobTransactions(ctx, []uuid.UUID{id})
	if err != nil {
		return storeFailure(err)
	}
	if txn, ok := txns[id]; ok && (txn.JobID == nil || *txn.JobID != jobID) {
		return a.renderQueueRetryRejected(c, views.QueueNotice{Key: "page.queue.retry_not_current", JobID: jobID})
	}

	body, err := a.retryTransaction(ctx, id, retryableFrom(job.State))
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Code == "payload_purged" {
		return a.renderQueueRetryRejected(c, views.QueueNotice{Key: "page.queue.retry_purged", JobID: jobID})
	}
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusConflict {
		var status string
		if len(apiErr.Args) > 0 {
			status, _ = apiErr.Args[0].(string)
		}
		return a.renderQueueRetryRejected(c, views.QueueNotice{Key: "page.queue.retry_rejected", JobID: jobID, Status: status})
	}
	if err != nil {
		return err
	}
	a.audit(c, auditTransactionRetry, id.String(), map[string]any{"jobId": body.JobID, "fromJobId": jobID})

	return c.Redirect(http.StatusSeeOther, retriedTransactionURL(id.String(), body.JobID))
}

// renderQueueRetryRejected shows the queue page, answering 409, with the
// reason a job's retry was rejected.
func (a *App) renderQueueRetryRejected(c echo.Context, notice views.QueueNotice) error {
	props, _, err := a.queuePageProps(c)
	if err != nil {
		return err
	}
	props.Notice = &notice

	return render(c, http.StatusConflict, views.Queue(props))
}
