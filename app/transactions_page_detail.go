package app

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
	"ehrbridge/views"
)

// handleTransactionDetailPage is GET /transactions/:id: the transaction
// with each endpoint's ledger row, but not the patient payload. After a
// retry, ?retried= names the job it queued.
func (a *App) handleTransactionDetailPage(c echo.Context) error {
	props, err := a.transactionDetailProps(c)
	if err != nil {
		return err
	}
	if jobID, err := strconv.ParseInt(c.QueryParam("retried"), 10, 64); err == nil && jobID > 0 {
		props.RetriedJobID = jobID
	}

	return render(c, http.StatusOK, views.TransactionDetail(props))
}

// handleTransactionLive is GET /transactions/:id/live: the detail page's
// refreshing region alone, for HTMX.
func (a *App) handleTransactionLive(c echo.Context) error {
	props, err := a.transactionDetailProps(c)
	if err != nil {
		return err
	}

	return render(c, http.StatusOK, views.TransactionLive(props))
}

// transactionDetailProps loads the transaction named by the :id parameter.
func (a *App) transactionDetailProps(c echo.Context) (views.TransactionDetailProps, error) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return views.TransactionDetailProps{}, newAPIError(http.StatusNotFound, "transaction_not_found", c.Param("id"))
	}
	detail, err := a.transactionDetail(c.Request().Context(), id)
	if err != nil {
		return views.TransactionDetailProps{}, err
	}

	return views.TransactionDetailProps{
		Page: a.page(c, "page.transactions.detail.title"), Transaction: detail, RiverUI: riverUIPrefix,
	}, nil
}

// transactionDetail reads a transaction and its ledger for the page.
func (a *App) transactionDetail(ctx context.Context, id uuid.UUID) (views.TransactionsDetail, error) {
	txn, err := a.Store.FindTransaction(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return views.TransactionsDetail{}, newAPIError(http.StatusNotFound, "transaction_not_found", id.String())
	}
	if err != nil {
		return views.TransactionsDetail{}, storeFailure(err)
	}

	detail := views.TransactionsDetail{
		ID: txn.ID.String(), EHRName: txn.EHRName, Mode: txn.Mode, Status: txn.Status,
		MappingVersion: txn.MappingVersion, EHRPatientID: txn.EHRPatientID, Language: txn.Language,
		Attempts: txn.Attempts, LastError: txn.LastError, CreatedAt: txn.CreatedAt, UpdatedAt: txn.UpdatedAt,
		CompletedAt: txn.CompletedAt,
		Retryable:   slices.Contains(retryableStatuses, txn.Status),
		InProgress:  txn.Status == ehr.StatusQueued || txn.Status == ehr.StatusProcessing,
	}
	if txn.JobID != nil {
		detail.JobID = *txn.JobID
	}
	for _, e := range txn.Endpoints {
		row := views.TransactionsLedgerRow{
			Endpoint: e.Endpoint, IdentifiesPatient: e.IdentifiesPatient, Status: e.Status,
			EHRReference: e.EHRReference, Attempts: e.Attempts, DurationMS: e.DurationMS,
			ErrorCode: e.ErrorCode, ErrorReason: e.ErrorReason,
		}
		if e.HTTPStatus != nil {
			row.HTTPStatus = *e.HTTPStatus
		}
		detail.Endpoints = append(detail.Endpoints, row)
	}

	return detail, nil
}
