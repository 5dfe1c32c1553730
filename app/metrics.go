package app

import (
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// appMetrics are the Prometheus metrics of one process. Every label holds
// a bounded value: a route pattern, a method, a status, an EHR system
// name, a mapping's endpoint name, a job kind or a state. None holds an
// id, a path with parameters filled in, or patient data.
type appMetrics struct {
	registry *prometheus.Registry

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	sends        *prometheus.CounterVec
	ehrCalls     *prometheus.HistogramVec
	jobs         *prometheus.CounterVec
	jobRun       *prometheus.HistogramVec
	jobWait      *prometheus.HistogramVec
	acceptGroups prometheus.Histogram
}

// latencyBuckets span 0.5 ms to 30 s, for requests, EHR calls and jobs.
var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

func newAppMetrics() *appMetrics {
	m := &appMetrics{
		registry: prometheus.NewRegistry(),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ehrbridge_http_requests_total", Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "status"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ehrbridge_http_request_duration_seconds", Help: "Time to answer an HTTP request, by route pattern and method.",
			Buckets: latencyBuckets,
		}, []string{"route", "method"}),
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ehrbridge_endpoint_sends_total", Help: "Endpoint deliveries by EHR system, endpoint and outcome (succeeded, failed, unknown, skipped).",
		}, []string{"ehr", "endpoint", "outcome"}),
		ehrCalls: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ehrbridge_ehr_call_duration_seconds", Help: "Time of an endpoint delivery's EHR calls, by EHR system and endpoint.",
			Buckets: latencyBuckets,
		}, []string{"ehr", "endpoint"}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ehrbridge_queue_jobs_finished_total", Help: "Queue job runs by kind and result (completed, failed, cancelled, snoozed).",
		}, []string{"kind", "result"}),
		jobRun: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ehrbridge_queue_job_run_seconds", Help: "Time a queue job ran, by kind.", Buckets: latencyBuckets,
		}, []string{"kind"}),
		jobWait: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ehrbridge_queue_job_wait_seconds", Help: "Time a queue job waited between becoming available and starting, by kind.", Buckets: latencyBuckets,
		}, []string{"kind"}),
		acceptGroups: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "ehrbridge_accept_group_size", Help: "Asynchronous sends committed together in one database transaction.",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128},
		}),
	}
	m.registry.MustRegister(
		m.httpRequests, m.httpDuration, m.sends, m.ehrCalls, m.jobs, m.jobRun, m.jobWait, m.acceptGroups,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)

	return m
}

// handleMetrics is GET /metrics in the Prometheus text format.
func (a *App) handleMetrics(c echo.Context) error {
	handler := promhttp.HandlerFor(a.metrics.registry, promhttp.HandlerOpts{
		ErrorHandling: promhttp.ContinueOnError,
		ErrorLog:      slogPrometheusLogger{a},
	})
	handler.ServeHTTP(c.Response(), c.Request())

	return nil
}

// slogPrometheusLogger passes the metrics handler's errors (a collector that
// failed, such as a database count) to the app's log.
type slogPrometheusLogger struct{ a *App }

func (l slogPrometheusLogger) Println(v ...any) {
	l.a.Logger.Warn("collecting metrics failed", "error", v)
}
