package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"ehrbridge/app"
	"ehrbridge/app/store/storetest"
)

// testEnv is a running ehrbridge on its own database, with the in-process
// simulator, and every log line it wrote.
type testEnv struct {
	app    *app.App
	server *httptest.Server
	logs   *syncBuffer
}

// syncBuffer collects log output written from many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()

	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()

	return b.buf.String()
}

// setup starts ehrbridge in development mode on a new database. extraEnv
// overrides configuration variables.
func setup(t testing.TB, extraEnv map[string]string) *testEnv {
	t.Helper()
	env := map[string]string{
		"DATABASE_URL": storetest.NewDatabaseURL(t),
		"REDIS_URL":    requireRedis(t),
		"CACHE_PREFIX": uniqueCachePrefix(t),
		"APP_ENV":      "development",
		"LOG_LEVEL":    "debug",
		"EHR_TIMEOUT":  "2s",
		// Tests send bursts from one address; those about limits set
		// their own.
		"RATE_LIMIT_PER_IP":  "0",
		"RATE_LIMIT_PER_KEY": "0",
	}
	for key, value := range extraEnv {
		env[key] = value
	}
	cfg, err := app.LoadConfig(func(key string) (string, bool) {
		value, ok := env[key]
		return value, ok
	})
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}

	logs := &syncBuffer{}
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: cfg.LogLevel})))
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	server := httptest.NewServer(a.Router())
	a.Integrations.SetSelfURL(server.URL)
	t.Cleanup(func() {
		server.Close()
		a.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})

	return &testEnv{app: a, server: server, logs: logs}
}

// response is an HTTP answer with its body decoded when it is JSON.
type response struct {
	status int
	header http.Header
	raw    string
	json   map[string]any
}

// do sends a request to the test server without credentials.
func (env *testEnv) do(t *testing.T, method, path, contentType, body string, headers map[string]string) response {
	t.Helper()

	return env.doWith(t, http.DefaultClient, method, path, contentType, body, headers)
}

// doWith sends a request with client, whose cookie jar may hold a session.
func (env *testEnv) doWith(t *testing.T, client *http.Client, method, path, contentType, body string, headers map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, env.server.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatalf("building request: %v", err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for key, value := range headers {
		req.Header.Set(key, value)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()

	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading answer of %s %s: %v", method, path, err)
	}
	out := response{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &out.json)

	return out
}

func (env *testEnv) postJSON(t *testing.T, path, body string) response {
	t.Helper()

	return env.do(t, http.MethodPost, path, "application/json", body, nil)
}

func (env *testEnv) get(t *testing.T, path string) response {
	t.Helper()

	return env.do(t, http.MethodGet, path, "", "", nil)
}

// sample reads a synthetic request body from testdata.
func sample(t *testing.T, name string) string {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatalf("reading sample %s: %v", name, err)
	}

	return string(raw)
}

// withEHR returns body with its ehrName replaced.
func withEHR(t *testing.T, body, ehrName string) string {
	t.Helper()
	var request map[string]any
	if err := json.Unmarshal([]byte(body), &request); err != nil {
		t.Fatalf("decoding sample: %v", err)
	}
	request["ehrName"] = ehrName
	out, _ := json.Marshal(request)

	return string(out)
}

// endpointStatuses maps each endpoint name in a send answer to its status.
func endpointStatuses(t *testing.T, r response) map[string]string {
	t.Helper()
	items, ok := r.json["endpoints"].([]any)
	if !ok {
		t.Fatalf("answer has no endpoints list: %s", r.raw)
	}
	out := map[string]string{}
	for _, item := range items {
		endpoint := item.(map[string]any)
		out[endpoint["name"].(string)] = endpoint["status"].(string)
	}

	return out
}

// cutDatabase makes the test database refuse connections and closes the
// open ones, as when PostgreSQL goes away under a running server.
func (env *testEnv) cutDatabase(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	u, err := url.Parse(env.app.Config.DatabaseURL)
	if err != nil {
		t.Fatalf("parsing database URL: %v", err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	admin, err := pgx.Connect(ctx, storetest.ServerURL())
	if err != nil {
		t.Fatalf("connecting as admin: %v", err)
	}
	defer admin.Close(ctx)

	if _, err := admin.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{name}.Sanitize()+" ALLOW_CONNECTIONS false"); err != nil {
		t.Fatalf("blocking connections: %v", err)
	}
	if _, err := admin.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name); err != nil {
		t.Fatalf("closing connections: %v", err)
	}
}

// testRedisURL is the Redis the tests use: REDIS_TEST_URL or the local one.
func testRedisURL() string {
	if raw := os.Getenv("REDIS_TEST_URL"); raw != "" {
		return raw
	}

	return "redis://127.0.0.1:6379/0"
}

// requireRedis returns the test Redis URL. Without a reachable Redis the
// test fails under CI=true; elsewhere it runs on with Redis down, which
// the app tolerates.
func requireRedis(t testing.TB) string {
	t.Helper()
	options, err := redis.ParseURL(testRedisURL())
	if err != nil {
		t.Fatalf("parsing REDIS_TEST_URL: %v", err)
	}
	client := redis.NewClient(options)
	defer client.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil && os.Getenv("CI") == "true" {
		t.Fatalf("Redis at %s is required under CI=true: %v", testRedisURL(), err)
	}

	return testRedisURL()
}

// uniqueCachePrefix gives a test its own Redis keys and channel, and
// deletes its keys when the test ends.
func uniqueCachePrefix(t testing.TB) string {
	t.Helper()
	prefix := "ehrbridge-test-" + strings.ReplaceAll(uuid.NewString(), "-", "")[:12] + ":"
	t.Cleanup(func() {
		options, err := redis.ParseURL(testRedisURL())
		if err != nil {
			return
		}
		client := redis.NewClient(options)
		defer client.Close()
		ctx := context.Background()
		keys, _ := client.Keys(ctx, prefix+"*").Result()
		if len(keys) > 0 {
			client.Del(ctx, keys...)
		}
	})

	return prefix
}
