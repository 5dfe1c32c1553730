package ehr

// Transaction statuses.
const (
	StatusQueued          = "queued"
	StatusProcessing      = "processing"
	StatusSucceeded       = "succeeded"
	StatusPartiallyFailed = "partially_failed"
	StatusFailed          = "failed"
	StatusDead            = "dead"
)

// TransactionStatuses lists every transaction status.
var TransactionStatuses = []string{
	StatusQueued, StatusProcessing, StatusSucceeded, StatusPartiallyFailed, StatusFailed, StatusDead,
}

// SummarizeOutcomes gives the status of a transaction whose endpoints ended
// with these outcomes.
func SummarizeOutcomes(outcomes []Outcome) string {
	succeeded := 0
	for _, outcome := range outcomes {
		if outcome.Status == EndpointSucceeded {
			succeeded++
		}
	}

	return SummarizeCounts(succeeded, len(outcomes))
}

// SummarizeCounts gives the status of a finished transaction with succeeded
// of total endpoints delivered: succeeded when all were, failed when none
// were, partially_failed otherwise.
func SummarizeCounts(succeeded, total int) string {
	switch {
	case succeeded == total:
		return StatusSucceeded
	case succeeded == 0:
		return StatusFailed
	default:
		return StatusPartiallyFailed
	}
}
