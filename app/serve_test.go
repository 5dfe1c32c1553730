package app_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"ehrbridge/ehr/sim"
)

func TestShutdownLetsRunningJobFinish(t *testing.T) {
	t.Parallel()
	env := setup(t, withEnv(map[string]string{"SHUTDOWN_TIMEOUT": "10s"}))
	if _, err := env.app.Simulator.AddFault(sim.Fault{System: "athena", Match: "familyhistory", Mode: sim.ModeLatency, LatencyMs: 700}); err != nil {
		t.Fatalf("AddFault: %v", err)
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- env.app.ServeListener(ctx, listener) }()

	base := "http://" + listener.Addr().String()
	resp, err := http.Post(base+"/ehr/send-patient-data-async", "application/json", strings.NewReader(sample(t, "full-en.json")))
	if err != nil {
		t.Fatalf("async send: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("async send: status %d", resp.StatusCode)
	}

	// Stop while the family history call is in flight.
	time.Sleep(300 * time.Millisecond)
	stop()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("ServeListener: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("ServeListener did not return within the grace period")
	}

	assertRowCount(t, env, "SELECT count(*) FROM transactions WHERE status = 'succeeded'", 1)
	if _, err := http.Get(base + "/health"); err == nil {
		t.Errorf("server still answers after shutdown")
	}
}
