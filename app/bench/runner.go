package bench

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// acceptedSend is an asynchronous send that returned 202.
type acceptedSend struct {
	transactionID string
	// receivedAt is when the 202 arrived, on this machine's clock.
	receivedAt time.Time
	// serverDate is the response's Date header, on the server's clock and
	// to the second. It is zero when the header is missing or invalid.
	serverDate time.Time
}

// loadResult is everything the workers measured.
type loadResult struct {
	elapsed             time.Duration
	latencies           []time.Duration
	statusCounts        map[int]int
	transportErrors     int
	firstTransportError string
	accepted            []acceptedSend
	interrupted         bool
}

// workerRecord is the measurements of one worker, and only that worker
// writes it.
type workerRecord struct {
	latencies           []time.Duration
	statusCounts        map[int]int
	transportErrors     int
	firstTransportError string
	accepted            []acceptedSend
}

// runLoad runs opts.Concurrency workers that repeat plan's request until
// opts.Count requests have started, opts.Duration has passed, or ctx is
// cancelled. Past the duration no request starts, and the ones in flight
// finish, so the run can last up to one request longer. Cancelling ctx
// cuts requests short, and those are not counted.
func runLoad(ctx context.Context, client *http.Client, plan loadPlan, opts Options) loadResult {
	start := time.Now()
	deadline := start.Add(opts.Duration)
	var started atomic.Int64
	mayStart := func() bool {
		if ctx.Err() != nil {
			return false
		}
		if opts.Count > 0 {
			return started.Add(1) <= int64(opts.Count)
		}
		return time.Now().Before(deadline)
	}

	records := make([]*workerRecord, opts.Concurrency)
	var workers sync.WaitGroup
	for i := range records {
		record := &workerRecord{statusCounts: map[int]int{}}
		records[i] = record
		workers.Go(func() { record.run(ctx, client, plan, mayStart) })
	}
	workers.Wait()

	result := mergeRecords(records)
	result.elapsed = time.Since(start)
	result.interrupted = ctx.Err() != nil

	return result
}

func (w *workerRecord) run(ctx context.Context, client *http.Client, plan loadPlan, mayStart func() bool) {
	for mayStart() {
		response, err := send(ctx, client, plan.request)
		if err != nil && ctx.Err() != nil {
			return
		}
		if err != nil {
			w.transportErrors++
			if w.firstTransportError == "" {
				w.firstTransportError = err.Error()
			}
			continue
		}

		w.latencies = append(w.latencies, response.latency)
		w.statusCounts[response.status]++
		if plan.recordTransactions && response.status == plan.successStatus {
			w.recordAccepted(response)
		}
	}
}

func (w *workerRecord) recordAccepted(accepted completedRequest) {
	id := transactionIDOf(accepted.body)
	if id == "" {
		return
	}
	serverDate, err := http.ParseTime(accepted.header.Get("Date"))
	if err != nil {
		serverDate = time.Time{}
	}
	w.accepted = append(w.accepted, acceptedSend{transactionID: id, receivedAt: accepted.receivedAt, serverDate: serverDate})
}

func mergeRecords(records []*workerRecord) loadResult {
	result := loadResult{statusCounts: map[int]int{}}
	for _, record := range records {
		result.latencies = append(result.latencies, record.latencies...)
		for status, n := range record.statusCounts {
			result.statusCounts[status] += n
		}
		result.transportErrors += record.transportErrors
		if result.firstTransportError == "" {
			result.firstTransportError = record.firstTransportError
		}
		result.accepted = append(result.accepted, record.accepted...)
	}

	return result
}
