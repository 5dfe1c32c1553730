package drills_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// stopGrace is how long a stopped process may take to exit after SIGTERM
// before it gets SIGKILL.
const stopGrace = 10 * time.Second

// childProcess is a process the drill started, with its combined output.
type childProcess struct {
	name   string
	cmd    *exec.Cmd
	output *lockedBuffer
	exited chan struct{}
	// waitErr is set before exited is closed.
	waitErr error
}

// lockedBuffer collects output written from the process's pipes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()

	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()

	return b.buf.String()
}

// startChild starts path with args and env, and stops it when the test
// ends. The output is logged when the test fails.
func startChild(t *testing.T, name string, env []string, path string, args ...string) *childProcess {
	t.Helper()
	child := &childProcess{name: name, output: &lockedBuffer{}, exited: make(chan struct{})}
	child.cmd = exec.Command(path, args...)
	child.cmd.Env = env
	child.cmd.Stdout = child.output
	child.cmd.Stderr = child.output
	if err := child.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	go func() {
		child.waitErr = child.cmd.Wait()
		close(child.exited)
	}()

	t.Cleanup(func() {
		child.stop(t)
		if t.Failed() {
			t.Logf("output of %s (pid %d):\n%s", name, child.cmd.Process.Pid, lastBytes(child.output.String(), 20000))
		}
	})

	return child
}

// running reports whether the process has not exited.
func (c *childProcess) running() bool {
	select {
	case <-c.exited:
		return false
	default:
		return true
	}
}

// kill sends SIGKILL, as kill -9 does, and waits for the exit.
func (c *childProcess) kill(t *testing.T) {
	t.Helper()
	if !c.running() {
		return
	}
	if err := c.cmd.Process.Kill(); err != nil {
		t.Errorf("killing %s (pid %d): %v", c.name, c.cmd.Process.Pid, err)
		return
	}
	<-c.exited
}

// stop sends SIGTERM and waits for the exit, then sends SIGKILL after
// stopGrace.
func (c *childProcess) stop(t *testing.T) {
	t.Helper()
	if !c.running() {
		return
	}
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		c.kill(t)
		return
	}
	select {
	case <-c.exited:
	case <-time.After(stopGrace):
		t.Logf("%s (pid %d) still running %s after SIGTERM; sending SIGKILL", c.name, c.cmd.Process.Pid, stopGrace)
		c.kill(t)
	}
}

// waitReady polls url until it returns the status want, and fails the
// test if the process exits first or the deadline passes.
func (c *childProcess) waitReady(t *testing.T, url string, want int, within time.Duration) {
	t.Helper()
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(within)
	for {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == want {
				return
			}
		}
		if !c.running() {
			t.Fatalf("%s exited before %s answered %d: %v\n%s", c.name, url, want, c.waitErr, lastBytes(c.output.String(), 4000))
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer %d at %s within %s (last error: %v)", c.name, want, url, within, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	defer listener.Close()

	return listener.Addr().(*net.TCPAddr).Port
}

// runCommand runs a short command to its end and fails the test with its
// output when it fails.
func runCommand(t *testing.T, timeout time.Duration, path string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	output, err := exec.CommandContext(ctx, path, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", path, args, err, output)
	}

	return string(output)
}

// baseEnv is the environment every child gets: enough to run, and none of
// the test process's configuration variables.
func baseEnv() []string {
	env := []string{"PATH=" + os.Getenv("PATH")}
	if home := os.Getenv("HOME"); home != "" {
		env = append(env, "HOME="+home)
	}

	return env
}

func envList(values map[string]string) []string {
	env := baseEnv()
	for key, value := range values {
		env = append(env, key+"="+value)
	}

	return env
}

func lastBytes(text string, n int) string {
	if len(text) <= n {
		return text
	}

	return "…" + text[len(text)-n:]
}

func itoa(n int) string { return strconv.Itoa(n) }

func hostPort(port int) string { return fmt.Sprintf("127.0.0.1:%d", port) }
