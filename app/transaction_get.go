package app

import (
	"encoding/json"
	"errors"
	"fmt"
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
	// PayloadMasked is the stored request with every value masked by
	// maskPayload, or null once the payload is purged.
	PayloadMasked json.RawMessage `json:"payloadMasked"`
	PayloadPurged bool            `json:"payloadPurged"`
	// PayloadUnreadable is set when the payload is stored but cannot be
	// decrypted with the configured keys.
	PayloadUnreadable bool `json:"payloadUnreadable"`
}

// handleGetTransaction is GET /ehr/transactions/:id: the transaction with
// its per-endpoint ledger and its payload masked. The full payload is only
// returned by POST /ehr/transactions/:id/reveal.
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
	detail, err := toTransactionDetail(txn)
	if err != nil {
		return internalError(err)
	}

	return c.JSON(http.StatusOK, detail)
}

func toTransactionDetail(txn store.Transaction) (transactionDetail, error) {
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

	detail := transactionDetail{
		transactionItem: summary, Language: txn.Language,
		UpdatedAt: txn.UpdatedAt.UTC().Format(timeFormat), Endpoints: ledger,
		PayloadPurged: txn.PayloadPurged(), PayloadUnreadable: txn.PayloadUnreadable(),
	}
	if !detail.PayloadPurged && !detail.PayloadUnreadable {
		masked, err := maskPayload(txn.Payload)
		if err != nil {
			return transactionDetail{}, fmt.Errorf("transaction %s: %w", txn.ID, err)
		}
		detail.PayloadMasked = masked
	}

	return detail, nil
}
