package app

import (
	"context"
	"errors"
	"time"

	"ehrbridge/app/store"
)

// Accepted asynchronous sends are written in groups: while one group
// commits, new accepts queue up, and the next group takes all of them in
// one database transaction. Under load this turns many small commits into
// a few larger ones; alone, a send is its own group and waits for nothing.
const (
	// acceptCommitters is how many groups may commit at once.
	acceptCommitters = 4
	// maxAcceptGroup bounds a group, so one commit stays short.
	maxAcceptGroup = 128
	// acceptCommitTimeout bounds one group's database transaction.
	acceptCommitTimeout = 10 * time.Second
)

// pendingAccept is one transaction waiting for its group to commit.
type pendingAccept struct {
	txn  *store.Transaction
	done chan error
}

// startAcceptCommitters starts the goroutines that commit accepted sends
// until ctx ends.
func (a *App) startAcceptCommitters(ctx context.Context) {
	a.accepts = make(chan pendingAccept, maxAcceptGroup*acceptCommitters)
	for range acceptCommitters {
		go a.commitAccepts(ctx)
	}
}

// storeAccepted stores txn, its ledger and its delivery job, and returns
// once they are committed, like Store.CreateTransaction with a job.
func (a *App) storeAccepted(ctx context.Context, txn *store.Transaction) error {
	pending := pendingAccept{txn: txn, done: make(chan error, 1)}
	select {
	case a.accepts <- pending:
	case <-ctx.Done():
		return ctx.Err()
	case <-a.lifetime.Done():
		return errors.New("server is shutting down")
	}

	// The group commits even if this request's client goes away, so the
	// result is awaited without ctx: returning early would report a send
	// as failed that the group then stores.
	return <-pending.done
}

func (a *App) commitAccepts(ctx context.Context) {
	for {
		var first pendingAccept
		select {
		case <-ctx.Done():
			return
		case first = <-a.accepts:
		}
		group := a.takeQueuedAccepts([]pendingAccept{first})
		a.commitAcceptGroup(group)
	}
}

// takeQueuedAccepts adds to group the accepts already waiting, without
// waiting for more.
func (a *App) takeQueuedAccepts(group []pendingAccept) []pendingAccept {
	for len(group) < maxAcceptGroup {
		select {
		case next := <-a.accepts:
			group = append(group, next)
		default:
			return group
		}
	}

	return group
}

// commitAcceptGroup writes a group in one database transaction. When that
// fails (an idempotency key used twice, say), each send is written on its
// own, so one bad send cannot fail the others.
func (a *App) commitAcceptGroup(group []pendingAccept) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(a.lifetime), acceptCommitTimeout)
	defer cancel()
	a.metrics.acceptGroups.Observe(float64(len(group)))

	if len(group) > 1 {
		txns := make([]*store.Transaction, len(group))
		for i, pending := range group {
			txns[i] = pending.txn
		}
		if err := a.Store.CreateTransactions(ctx, txns, a.enqueueDeliveries()); err == nil {
			for _, pending := range group {
				pending.done <- nil
			}
			return
		}
	}
	for _, pending := range group {
		pending.done <- a.Store.CreateTransaction(ctx, pending.txn, a.EnqueueDelivery())
	}
}
