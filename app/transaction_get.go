package app

import (
	"errors"
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"ehrbridge/app/store"
)

type ledgerItem struct {
	Endpoint          string `json:"endpoint"`
	Position          int    `json:"position"`
	IdentifiesPatient bool   `json:"identifiesPatient"`
	Status            string `json:"status"`
	HTTPStatus        *int   `json:"httpStatus,omitempty"`
	EHRReference      string `json:"ehrReference,omitempty"`
	DurationMS        *int   `json:"durationMs,omitempty"`
	ErrorCode         string `json:"errorCode,omitempty"`
	ErrorReason       string `json:"errorReason,omitempty"`
	Attempts          int    `json:"attempts"`
	UpdatedAt         string `json:"updatedAt"`
}

type transactionDetail struct {
	transactionItem
	Language  string       `json:"language"`
	UpdatedAt string       `json:"updatedAt"`
	Endpoints []ledgerItem `json:"endpoints"`
}

// handleGetTransaction is GET /ehr/transactions/:id: the transaction with
// its per-endpoint ledger. The patient payload is not included.
func (a *App) handleGetTransaction(c echo.Context) error {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return newAPIError(http.StatusNotFound, "transaction_not_found", c.Param("id"))
	}
	txn, err := a.Store.FindTransaction(c.Request().Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return newAPIError(http.StatusNotFound, "transaction_not_found", id.String())
	}
	if err != nil {
		return storeFailure(err)
	}

	return c.JSON(http.StatusOK, toTransactionDetail(txn))
}

func toTransactionDetail(txn store.Transaction) transactionDetail {
	done := 0
	ledger := make([]ledgerItem, len(txn.Endpoints))
	for i, e := range txn.Endpoints {
		if e.Status == "succeeded" {
			done++
		}
		ledger[i] = ledgerItem{
			Endpoint: e.Endpoint, Position: e.Position, IdentifiesPatient: e.IdentifiesPatient, Status: e.Status,
			HTTPStatus: e.HTTPStatus, EHRReference: e.EHRReference, DurationMS: e.DurationMS,
			ErrorCode: e.ErrorCode, ErrorReason: e.ErrorReason, Attempts: e.Attempts,
			UpdatedAt: e.UpdatedAt.UTC().Format(timeFormat),
		}
	}
	summary := toTransactionItem(store.TransactionSummary{
		ID: txn.ID, EHRName: txn.EHRName, Mode: txn.Mode, Status: txn.Status, MappingVersion: txn.MappingVersion,
		EHRPatientID: txn.EHRPatientID, Attempts: txn.Attempts, LastError: txn.LastError, CreatedAt: txn.CreatedAt,
		CompletedAt: txn.CompletedAt, EndpointsTotal: len(txn.Endpoints), EndpointsDone: done,
	})

	return transactionDetail{
		transactionItem: summary, Language: txn.Language,
		UpdatedAt: txn.UpdatedAt.UTC().Format(timeFormat), Endpoints: ledger,
	}
}
