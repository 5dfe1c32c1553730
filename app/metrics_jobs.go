package app

import (
	"context"

	"github.com/riverqueue/river"
)

// jobResults maps the queue's job events to the result label.
var jobResults = map[river.EventKind]string{
	river.EventKindJobCompleted: "completed",
	river.EventKindJobFailed:    "failed",
	river.EventKindJobCancelled: "cancelled",
	river.EventKindJobSnoozed:   "snoozed",
}

// observeJobs records each job run this process works: its result, how
// long it waited and how long it ran. It returns when ctx ends.
func (a *App) observeJobs(ctx context.Context) {
	kinds := make([]river.EventKind, 0, len(jobResults))
	for kind := range jobResults {
		kinds = append(kinds, kind)
	}
	events, cancel := a.Queue.Subscribe(kinds...)
	defer cancel()

	for {
		select {
		case <-ctx.Done():
			return
		case event, ok := <-events:
			if !ok {
				return
			}
			a.observeJob(event)
		}
	}
}

func (a *App) observeJob(event *river.Event) {
	if event.Job == nil {
		return
	}
	kind := event.Job.Kind
	a.metrics.jobs.WithLabelValues(kind, jobResults[event.Kind]).Inc()
	if event.JobStats != nil {
		a.metrics.jobRun.WithLabelValues(kind).Observe(event.JobStats.RunDuration.Seconds())
		a.metrics.jobWait.WithLabelValues(kind).Observe(event.JobStats.QueueWaitDuration.Seconds())
	}
}
