package app

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"ehrbridge/app/store"
	"ehrbridge/ehr"
)

// purgedPayloadReason is the last error recorded on a transaction whose
// delivery job ran after the retention job deleted its payload, as when a
// job is retried from River UI.
const purgedPayloadReason = "patient data was deleted after the retention period (PAYLOAD_RETENTION); the transaction cannot be delivered again"

// unreadablePayloadReason is the last error recorded on a transaction whose
// payload cannot be decrypted with the configured keys.
const unreadablePayloadReason = "patient data cannot be decrypted with the configured keys; add the key it was encrypted with to ENCRYPTION_PREVIOUS_KEYS, then retry"

// cancelPurgedDelivery records why a transaction without its payload
// cannot be delivered and cancels the job for good.
func (a *App) cancelPurgedDelivery(ctx context.Context, txn store.Transaction) error {
	return a.cancelUndeliverable(ctx, txn, purgedPayloadReason)
}

// cancelUndeliverable records reason on a transaction whose payload cannot
// be sent and cancels the job for good. A final status is kept, and a
// transaction that still reads queued or processing becomes failed.
func (a *App) cancelUndeliverable(ctx context.Context, txn store.Transaction, reason string) error {
	status := txn.Status
	if status == ehr.StatusQueued || status == ehr.StatusProcessing {
		status = ehr.StatusFailed
	}
	if err := a.Store.SetTransactionStatus(ctx, txn.ID, status, reason); err != nil {
		return err
	}
	a.Logger.WarnContext(ctx, "delivery cancelled", "transaction_id", txn.ID, "status", status, "reason", reason, "error", txn.SealError)

	return river.JobCancel(fmt.Errorf("transaction %s: %s", txn.ID, reason))
}
