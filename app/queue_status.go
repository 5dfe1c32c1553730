package app

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river/rivertype"
)

type queueStatusBody struct {
	Jobs                map[string]int64 `json:"jobs"`
	Waiting             int64            `json:"waiting"`
	CompletedLastMinute int64            `json:"completedLastMinute"`
	FailedLastMinute    int64            `json:"failedLastMinute"`
	OldestWaitingMS     int64            `json:"oldestWaitingMs"`
	RunningJobs         int64            `json:"runningJobs"`
	WorkersPerProcess   int              `json:"workersPerProcess"`
	MaxAttempts         int              `json:"maxAttempts"`
}

// handleQueueStatus is GET /ehr/queue/status: jobs by state, the last
// minute's throughput and failures, and the age of the oldest waiting job.
func (a *App) handleQueueStatus(c echo.Context) error {
	stats, err := a.Store.QueueStats(c.Request().Context())
	if err != nil {
		return storeFailure(err)
	}

	body := queueStatusBody{
		Jobs:                map[string]int64{},
		CompletedLastMinute: stats.CompletedLastMinute,
		FailedLastMinute:    stats.FailedLastMinute,
		OldestWaitingMS:     stats.OldestWaiting.Milliseconds(),
		RunningJobs:         stats.ByState[string(rivertype.JobStateRunning)],
		WorkersPerProcess:   a.Config.QueueConcurrency,
		MaxAttempts:         a.Config.QueueRetryAttempts,
	}
	for _, state := range rivertype.JobStates() {
		body.Jobs[string(state)] = stats.ByState[string(state)]
	}
	for _, state := range []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStateRetryable, rivertype.JobStateScheduled} {
		body.Waiting += stats.ByState[string(state)]
	}

	return c.JSON(http.StatusOK, body)
}
