package bench

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"time"
)

const userAgent = "ehrbridge-bench"

// newHTTPClient returns the one client that every worker shares. It keeps
// one idle keep-alive connection per worker, uses no proxy and follows no
// redirect, so every request goes to --url itself.
func newHTTPClient(concurrency int, requestTimeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		MaxIdleConns:          concurrency + 1,
		MaxIdleConnsPerHost:   concurrency,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}

	return &http.Client{
		Transport: transport,
		Timeout:   requestTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// requestSpec is one request of a scenario, repeated by every worker.
type requestSpec struct {
	method string
	url    string
	body   []byte
	apiKey string
}

// completedRequest is a request that got a response: its status, its body
// and the time from sending the request to reading the body's last byte.
type completedRequest struct {
	status     int
	body       []byte
	header     http.Header
	latency    time.Duration
	receivedAt time.Time
}

// send performs spec once and reads the whole response body before
// closing it, so the connection returns to the pool.
func send(ctx context.Context, client *http.Client, spec requestSpec) (completedRequest, error) {
	var body io.Reader
	if spec.body != nil {
		body = bytes.NewReader(spec.body)
	}
	req, err := http.NewRequestWithContext(ctx, spec.method, spec.url, body)
	if err != nil {
		return completedRequest{}, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	if spec.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if spec.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+spec.apiKey)
	}

	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return completedRequest{}, err
	}
	defer resp.Body.Close()
	responseBody, err := io.ReadAll(resp.Body)
	if err != nil {
		return completedRequest{}, err
	}
	receivedAt := time.Now()

	return completedRequest{
		status: resp.StatusCode, body: responseBody, header: resp.Header,
		latency: receivedAt.Sub(start), receivedAt: receivedAt,
	}, nil
}
