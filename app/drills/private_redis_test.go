package drills_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// privateRedis is a redis-server that one drill starts, stops and starts
// again on the same port, without persistence.
type privateRedis struct {
	binary  string
	port    int
	dir     string
	process *childProcess
}

// startPrivateRedis starts redis-server on a free 127.0.0.1 port. It is
// stopped when the test ends.
func startPrivateRedis(t *testing.T) *privateRedis {
	t.Helper()
	binary := requireTool(t, "redis-server", "/usr/bin/redis-server", "/usr/local/bin/redis-server")
	r := &privateRedis{binary: binary, port: freePort(t), dir: t.TempDir()}
	r.start(t)

	return r
}

// start runs redis-server on the drill's port and waits for PONG.
func (r *privateRedis) start(t *testing.T) {
	t.Helper()
	r.process = startChild(t, "redis-server", baseEnv(), r.binary,
		"--port", itoa(r.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", r.dir)
	client := redis.NewClient(&redis.Options{Addr: hostPort(r.port), DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
	defer client.Close()
	deadline := time.Now().Add(startupLimit)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := client.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		if !r.process.running() || time.Now().After(deadline) {
			t.Fatalf("redis-server on port %d did not answer PING: %v\n%s", r.port, err, r.process.output.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop ends redis-server with SIGTERM and waits for its exit.
func (r *privateRedis) stop(t *testing.T) {
	t.Helper()
	r.process.stop(t)
}

func (r *privateRedis) url() string {
	return fmt.Sprintf("redis://%s/0", hostPort(r.port))
}
