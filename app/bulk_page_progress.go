package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"ehrbridge/ehr"
	"ehrbridge/views"
)

// handleBulkProgress is GET /bulk/progress?ids=: how many of the named
// transactions are in each status. While some are queued or processing the
// fragment polls itself every 2 seconds; after that it stops.
func (a *App) handleBulkProgress(c echo.Context) error {
	ids, err := a.bulkProgressIDs(c.QueryParam("ids"))
	if err != nil {
		return err
	}
	progress, err := a.bulkProgress(c.Request().Context(), ids)
	if err != nil {
		return err
	}

	return render(c, http.StatusOK, views.BulkProgressFragment(a.page(c, "page.bulk.title"), progress))
}

// bulkProgressIDs reads a comma-separated list of at most
// BULK_MAX_PATIENTS transaction ids.
func (a *App) bulkProgressIDs(raw string) ([]uuid.UUID, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	parts := strings.Split(raw, ",")
	if len(parts) > a.Config.BulkMaxPatients {
		return nil, newAPIError(http.StatusBadRequest, "invalid_query")
	}
	ids := make([]uuid.UUID, len(parts))
	for i, part := range parts {
		id, err := uuid.Parse(strings.TrimSpace(part))
		if err != nil {
			return nil, newAPIError(http.StatusBadRequest, "invalid_query")
		}
		ids[i] = id
	}

	return ids, nil
}

// bulkProgress reads the statuses of a bulk send's transactions and counts
// them. It is done once none is queued or processing.
func (a *App) bulkProgress(ctx context.Context, ids []uuid.UUID) (views.BulkProgress, error) {
	byID, err := a.Store.TransactionStatuses(ctx, ids)
	if err != nil {
		return views.BulkProgress{}, storeFailure(err)
	}
	progress := views.BulkProgress{Query: bulkProgressQuery(ids), Total: len(ids), Statuses: make(map[string]string, len(byID))}
	counts := map[string]int{}
	for _, id := range ids {
		progress.IDs = append(progress.IDs, id.String())
		if status, found := byID[id]; found {
			progress.Statuses[id.String()] = status
			counts[status]++
		}
	}
	for _, status := range ehr.TransactionStatuses {
		progress.Counts = append(progress.Counts, views.BulkStatusCount{Status: status, Count: counts[status]})
	}
	progress.Done = counts[ehr.StatusQueued]+counts[ehr.StatusProcessing] == 0

	return progress, nil
}

// bulkProgressQuery is the progress fragment's query string for ids.
func bulkProgressQuery(ids []uuid.UUID) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = id.String()
	}

	return url.Values{"ids": {strings.Join(names, ",")}}.Encode()
}
