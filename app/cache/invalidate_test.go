package cache

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestInvalidateReachesOtherCopies(t *testing.T) {
	t.Parallel()
	client, prefix := testRedis(t)
	db := newFakeDatabase("Athena")
	opts := Options{Redis: client, Prefix: prefix, MaxItems: 10, LocalTTL: time.Hour}
	writer, reader := newTestCache(opts, db.load), newTestCache(opts, db.load)
	startRun(t, writer)
	startRun(t, reader)
	waitSubscribed(t, writer, 1)
	waitSubscribed(t, reader, 1)
	mustGet(t, writer, "Athena")
	mustGet(t, reader, "Athena")

	db.publishVersion("Athena")
	if err := writer.Invalidate(context.Background(), "ATHENA"); err != nil {
		t.Fatalf("Invalidate: %v", err)
	}

	if _, held := reader.local.get("athena"); held {
		t.Error("the other copy still held the entry when Invalidate returned")
	}
	if got := mustGet(t, reader, "Athena").Mapping.Version; got != 2 {
		t.Errorf("other copy's next Get returned version %d, want 2", got)
	}
	if got := mustGet(t, writer, "Athena").Mapping.Version; got != 2 {
		t.Errorf("invalidating copy's next Get returned version %d, want 2", got)
	}
	for name, c := range map[string]*Cache{"invalidating copy": writer, "other copy": reader} {
		stats := c.Stats()
		if stats.InvalidationsReceived != 1 {
			t.Errorf("%s received %d invalidation messages, want 1", name, stats.InvalidationsReceived)
		}
		if stats.AckTimeouts != 0 {
			t.Errorf("%s counted %d acknowledgement timeouts, want 0", name, stats.AckTimeouts)
		}
	}
	if got := writer.Stats().Invalidations; got != 1 {
		t.Errorf("invalidations counted %d, want 1", got)
	}
}

func TestInvalidateDeletesOnlyPointer(t *testing.T) {
	t.Parallel()
	client, prefix := testRedis(t)
	db := newFakeDatabase("Athena")
	c := newTestCache(Options{Redis: client, Prefix: prefix, MaxItems: 10}, db.load)
	ctx := context.Background()
	mustGet(t, c, "Athena")

	if err := c.Invalidate(ctx, "Athena"); err != nil {
		t.Fatalf("Invalidate: %v", err)
	}
	if got := client.Exists(ctx, c.keys.pointer("athena")).Val(); got != 0 {
		t.Error("pointer key still exists after Invalidate")
	}
	if got := client.Exists(ctx, c.keys.content("athena", 1)).Val(); got != 1 {
		t.Error("content key was deleted by Invalidate; content keys are immutable and stay")
	}
	if got := client.Get(ctx, c.keys.generation()).Val(); got != "1" {
		t.Errorf("generation %q after one invalidation, want 1", got)
	}
}

func TestInvalidateAckWaitTimeout(t *testing.T) {
	t.Parallel()
	client, prefix := testRedis(t)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	ackWait := 150 * time.Millisecond
	c := newTestCache(Options{Redis: client, Prefix: prefix, MaxItems: 10, AckWait: ackWait, Logger: logger},
		newFakeDatabase("Athena").load)
	ctx := context.Background()
	silent := client.Subscribe(ctx, c.keys.channel()) // receives but never acknowledges
	defer func() { _ = silent.Close() }()
	if _, err := silent.Receive(ctx); err != nil {
		t.Fatalf("subscribing: %v", err)
	}

	start := time.Now()
	err := c.Invalidate(ctx, "Athena")
	waited := time.Since(start)

	if err != nil {
		t.Errorf("Invalidate with a silent subscriber returned %v, want nil", err)
	}
	if waited < ackWait || waited > ackWait+time.Second {
		t.Errorf("Invalidate waited %v, want about %v", waited, ackWait)
	}
	if got := c.Stats().AckTimeouts; got != 1 {
		t.Errorf("acknowledgement timeouts %d, want 1", got)
	}
	logged := logs.String()
	if !strings.Contains(logged, "level=WARN") || !strings.Contains(logged, "message_id=") {
		t.Errorf("log %q, want a warning naming the message id", logged)
	}
	if strings.Contains(logged, "athena") {
		t.Errorf("log %q names the EHR, want ids and counts only", logged)
	}
}

func TestInvalidateWithoutSubscribers(t *testing.T) {
	t.Parallel()
	client, prefix := testRedis(t)
	c := newTestCache(Options{Redis: client, Prefix: prefix, MaxItems: 10, AckWait: 5 * time.Second},
		newFakeDatabase("Athena").load)

	start := time.Now()
	if err := c.Invalidate(context.Background(), "Athena"); err != nil {
		t.Fatalf("Invalidate: %v", err)
	}
	if waited := time.Since(start); waited > time.Second {
		t.Errorf("Invalidate with no subscriber took %v, want no wait", waited)
	}
}

func TestInvalidateDuringLoadSkipsFill(t *testing.T) {
	t.Parallel()
	client, prefix := testRedis(t)
	db := newFakeDatabase("Athena").withGate()
	c := newTestCache(Options{Redis: client, Prefix: prefix, MaxItems: 10, LocalTTL: time.Hour}, db.load)
	ctx := context.Background()

	loaded := make(chan Entry, 1)
	go func() { loaded <- mustGet(t, c, "Athena") }()
	<-db.entered // the load has read version 1
	db.publishVersion("Athena")
	if err := c.Invalidate(ctx, "Athena"); err != nil {
		t.Fatalf("Invalidate: %v", err)
	}
	db.release()
	<-loaded

	if _, held := c.local.get("athena"); held {
		t.Error("local tier holds the entry loaded before the invalidation")
	}
	if got := client.Exists(ctx, c.keys.pointer("athena")).Val(); got != 0 {
		t.Error("redis pointer was written by the load that raced the invalidation")
	}
	if got := mustGet(t, c, "Athena").Mapping.Version; got != 2 {
		t.Errorf("next Get returned version %d, want 2", got)
	}
}

func TestClearDropsAllEntries(t *testing.T) {
	t.Parallel()
	client, prefix := testRedis(t)
	db := newFakeDatabase("Athena", "Cerner")
	opts := Options{Redis: client, Prefix: prefix, MaxItems: 10, LocalTTL: time.Hour}
	clearing, other := newTestCache(opts, db.load), newTestCache(opts, db.load)
	startRun(t, clearing)
	startRun(t, other)
	waitSubscribed(t, clearing, 1)
	waitSubscribed(t, other, 1)
	for _, name := range []string{"Athena", "Cerner"} {
		mustGet(t, clearing, name)
		mustGet(t, other, name)
	}

	if err := clearing.Clear(context.Background()); err != nil {
		t.Fatalf("Clear: %v", err)
	}

	for name, c := range map[string]*Cache{"clearing copy": clearing, "other copy": other} {
		if got := c.local.len(); got != 0 {
			t.Errorf("%s holds %d local entries after Clear, want 0", name, got)
		}
	}
	var entryKeys []string
	for _, key := range keysWithPrefix(t, client, prefix) {
		if isEntryKey(key) {
			entryKeys = append(entryKeys, key)
		}
	}
	if len(entryKeys) != 0 {
		t.Errorf("redis still holds %v after Clear", entryKeys)
	}
	mustGet(t, other, "Athena")
	if got := db.calls.Load(); got != 3 {
		t.Errorf("loader called %d times, want 3 (two first loads, one after Clear)", got)
	}
	if got := clearing.Stats().Clears; got != 1 {
		t.Errorf("clears counted %d, want 1", got)
	}
}

func TestRunIgnoresMalformedMessages(t *testing.T) {
	t.Parallel()
	client, prefix := testRedis(t)
	db := newFakeDatabase("Athena")
	c := newTestCache(Options{Redis: client, Prefix: prefix, MaxItems: 10}, db.load)
	mustGet(t, c, "Athena")

	for _, payload := range []string{`not json`, `{"id":"x","name":"athena"}`, `{"id":"5f0c9a54-6a43-4a53-9d4b-0c3c7f0f4b11"}`} {
		c.onMessage(context.Background(), payload)
	}

	if got := c.Stats().InvalidationsReceived; got != 0 {
		t.Errorf("malformed messages counted as %d invalidations, want 0", got)
	}
	if _, held := c.local.get("athena"); !held {
		t.Error("a malformed message dropped the local entry")
	}
}
