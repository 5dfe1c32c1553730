package drills_test

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// sendResult is the outcome of one send of a load run.
type sendResult struct {
	started       time.Time
	latency       time.Duration
	status        int
	transactionID string
	err           error
}

// asyncLoad posts asynchronous sends from several goroutines at once.
type asyncLoad struct {
	started  atomic.Int64
	accepted atomic.Int64
	finished chan struct{}

	mu      sync.Mutex
	results []sendResult
}

// startAsyncLoad starts senders goroutines that post body until ctx ends
// or, when total is above 0, until total sends have started. Each sender
// waits pause between two sends.
func startAsyncLoad(ctx context.Context, client *apiClient, body []byte, senders, total int, pause time.Duration) *asyncLoad {
	load := &asyncLoad{finished: make(chan struct{})}
	var wg sync.WaitGroup
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if total > 0 && load.started.Add(1) > int64(total) {
					return
				}
				load.record(load.sendOne(client, body))
				sleepContext(ctx, pause)
			}
		}()
	}
	go func() {
		wg.Wait()
		close(load.finished)
	}()

	return load
}

func (l *asyncLoad) sendOne(client *apiClient, body []byte) sendResult {
	result := sendResult{started: time.Now()}
	result.status, result.transactionID, result.err = client.sendAsync(body)
	result.latency = time.Since(result.started)
	if result.status == http.StatusAccepted && result.err == nil {
		l.accepted.Add(1)
	}

	return result
}

func (l *asyncLoad) record(result sendResult) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.results = append(l.results, result)
}

// acceptedCount is the number of 202 responses so far.
func (l *asyncLoad) acceptedCount() int {
	return int(l.accepted.Load())
}

// wait returns every result once all senders have stopped.
func (l *asyncLoad) wait() []sendResult {
	<-l.finished
	l.mu.Lock()
	defer l.mu.Unlock()

	return append([]sendResult{}, l.results...)
}

// acceptedIDs lists the transaction ids of the 202 responses.
func acceptedIDs(results []sendResult) []string {
	var ids []string
	for _, result := range results {
		if result.status == http.StatusAccepted && result.err == nil {
			ids = append(ids, result.transactionID)
		}
	}

	return ids
}

// waitUntil polls condition every 50 ms and fails the test with what when
// it is still false after within. It returns how long it waited.
func waitUntil(t *testing.T, within time.Duration, what string, condition func() bool) time.Duration {
	t.Helper()
	started := time.Now()
	for !condition() {
		if time.Since(started) > within {
			t.Fatalf("gave up after %s waiting for %s", within, what)
		}
		time.Sleep(50 * time.Millisecond)
	}

	return time.Since(started)
}

// sleepContext waits for d or until ctx ends.
func sleepContext(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
	case <-timer.C:
	}
}
