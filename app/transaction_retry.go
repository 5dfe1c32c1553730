package app

import (
	"context"
	"errors"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

// retryableStatuses are the transaction statuses a retry may start from.
var retryableStatuses = []string{ehr.StatusFailed, ehr.StatusPartiallyFailed, ehr.StatusDead}

type retryBody struct {
	TransactionID string `json:"transactionId"`
	JobID         int64  `json:"jobId"`
	Status        string `json:"status"`
	StatusURL     string `json:"statusUrl"`
}

// handleRetryTransaction is POST /ehr/retry-transaction/:transactionId:
// queue the endpoints of a failed, partially failed or dead transaction
// that have not succeeded.
func (a *App) handleRetryTransaction(c echo.Context) error {
	id, err := uuid.Parse(c.Param("transactionId"))
	if err != nil {
		return newAPIError(http.StatusBadRequest, "invalid_path_parameter", "transactionId")
	}

	body, err := a.retryTransaction(c.Request().Context(), id, retryableStatuses)
	if err != nil {
		return err
	}
	a.audit(c, auditTransactionRetry, id.String(), map[string]any{"jobId": body.JobID})

	return c.JSON(http.StatusAccepted, body)
}

// retryTransaction resets the transaction's unfinished endpoints and
// inserts its delivery job in one database transaction, when its status is
// one of allowed and its payload has not been purged. A second request
// finds the transaction queued and is rejected, so it never adds a job.
func (a *App) retryTransaction(ctx context.Context, id uuid.UUID, allowed []string) (retryBody, error) {
	txn, err := a.Store.RequeueTransaction(ctx, id, allowed, a.EnqueueDelivery())
	switch {
	case errors.Is(err, store.ErrNotFound):
		return retryBody{}, newAPIError(http.StatusNotFound, "transaction_not_found", id.String())
	case errors.Is(err, store.ErrNotRetryable):
		return retryBody{}, newAPIError(http.StatusConflict, "transaction_not_retryable", txn.Status)
	case errors.Is(err, store.ErrPayloadPurged):
		return retryBody{}, newAPIError(http.StatusConflict, "payload_purged", id.String())
	case errors.Is(err, store.ErrPayloadUnreadable):
		return retryBody{}, newAPIError(http.StatusConflict, "payload_unreadable", id.String())
	case err != nil:
		return retryBody{}, storeFailure(err)
	}
	a.Logger.InfoContext(ctx, "transaction retry queued", "transaction_id", id, "job_id", *txn.JobID)

	return retryBody{
		TransactionID: id.String(), JobID: *txn.JobID, Status: txn.Status,
		StatusURL: "/ehr/transactions/" + id.String(),
	}, nil
}
