package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is the outcome of a bench run. Its JSON field names are stable,
// and its durations are in milliseconds.
type Report struct {
	Scenario    string `json:"scenario"`
	URL         string `json:"url"`
	EHR         string `json:"ehr"`
	Concurrency int    `json:"concurrency"`
	// DurationMs is the time from the first request to the end of the
	// last one, not counting the e2e scenario's wait for delivery.
	DurationMs float64 `json:"durationMs"`
	// Requests counts every finished request: those with a response and
	// those that ended in a transport error.
	Requests          int     `json:"requests"`
	Succeeded         int     `json:"succeeded"`
	RequestsPerSecond float64 `json:"requestsPerSecond"`
	// LatencyMs covers every request that got a response, errors included.
	LatencyMs LatencyReport `json:"latencyMs"`
	// ErrorsByStatus counts responses other than the scenario's success
	// status, keyed by HTTP status code.
	ErrorsByStatus      map[string]int  `json:"errorsByStatus"`
	TransportErrors     int             `json:"transportErrors"`
	FirstTransportError string          `json:"firstTransportError,omitempty"`
	Interrupted         bool            `json:"interrupted"`
	Delivery            *DeliveryReport `json:"delivery,omitempty"`
}

// LatencyReport is a LatencySummary in milliseconds.
type LatencyReport struct {
	Min  float64 `json:"min"`
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

func newReport(opts Options, plan loadPlan, load loadResult) Report {
	latency := summarizeLatencies(load.latencies)
	report := Report{
		Scenario: string(opts.Scenario), URL: opts.BaseURL.String(), EHR: opts.EHR,
		Concurrency: opts.Concurrency, DurationMs: milliseconds(load.elapsed),
		Requests:  len(load.latencies) + load.transportErrors,
		Succeeded: load.statusCounts[plan.successStatus],
		LatencyMs: LatencyReport{
			Min: milliseconds(latency.Min), Mean: milliseconds(latency.Mean), P50: milliseconds(latency.P50),
			P90: milliseconds(latency.P90), P99: milliseconds(latency.P99), Max: milliseconds(latency.Max),
		},
		ErrorsByStatus:  map[string]int{},
		TransportErrors: load.transportErrors, FirstTransportError: load.firstTransportError,
		Interrupted: load.interrupted,
	}
	if load.elapsed > 0 {
		report.RequestsPerSecond = float64(report.Requests) / load.elapsed.Seconds()
	}
	for status, n := range load.statusCounts {
		if status != plan.successStatus {
			report.ErrorsByStatus[strconv.Itoa(status)] = n
		}
	}

	return report
}

func milliseconds(d time.Duration) float64 {
	return float64(d) / float64(time.Millisecond)
}

// WriteReport prints report as one JSON object, or as text.
func WriteReport(w io.Writer, report Report, asJSON bool) error {
	if asJSON {
		encoder := json.NewEncoder(w)
		return encoder.Encode(report)
	}

	table := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	row := func(label, format string, args ...any) {
		fmt.Fprintf(table, "%s\t"+format+"\n", append([]any{label}, args...)...)
	}
	row("scenario:", "%s", report.Scenario)
	row("url:", "%s", report.URL)
	row("ehr:", "%s", report.EHR)
	row("concurrency:", "%d", report.Concurrency)
	row("duration:", "%.3f s", report.DurationMs/1000)
	row("requests:", "%d (%d succeeded)", report.Requests, report.Succeeded)
	row("requests/s:", "%.1f", report.RequestsPerSecond)
	row("latency (ms):", "p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  (min %.2f, mean %.2f)",
		report.LatencyMs.P50, report.LatencyMs.P90, report.LatencyMs.P99, report.LatencyMs.Max,
		report.LatencyMs.Min, report.LatencyMs.Mean)
	row("errors by status:", "%s", formatCounts(report.ErrorsByStatus))
	row("transport errors:", "%d", report.TransportErrors)
	if report.FirstTransportError != "" {
		row("first transport error:", "%s", report.FirstTransportError)
	}
	if report.Delivery != nil {
		writeDelivery(row, *report.Delivery)
	}
	if report.Interrupted {
		row("interrupted:", "%s", "yes, the figures cover the time before the interrupt")
	}

	return table.Flush()
}

func writeDelivery(row func(label, format string, args ...any), delivery DeliveryReport) {
	row("accepted sends:", "%d", delivery.Accepted)
	row("final:", "%d (%s)", delivery.Final, formatCounts(delivery.ByStatus))
	row("still pending:", "%d", delivery.Pending)
	row("delivery window:", "%.3f s (first accept to last final)", delivery.WindowMs/1000)
	row("deliveries/s:", "%.1f", delivery.DeliveriesPerSecond)
	row("status polls:", "%d (%d failed)", delivery.PollRequests, delivery.PollErrors)
	if delivery.TimedOut {
		row("timed out:", "%s", "yes, raise --timeout to wait longer")
	}
}

// formatCounts prints counts sorted by key, or "none" when all are zero.
func formatCounts(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for key, n := range counts {
		if n > 0 {
			keys = append(keys, key)
		}
	}
	if len(keys) == 0 {
		return "none"
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, key := range keys {
		parts[i] = fmt.Sprintf("%s: %d", key, counts[key])
	}

	return strings.Join(parts, ", ")
}
