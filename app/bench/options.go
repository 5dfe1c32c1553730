// Package bench generates load against a running ehrbridge server and
// reports throughput, latency percentiles and errors.
package bench

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Scenario names what one benchmark request does.
type Scenario string

// Scenarios the bench command runs.
const (
	// ScenarioMapping reads the EHR's current mapping (GET /ehr/mapping/<ehr>).
	ScenarioMapping Scenario = "mapping"
	// ScenarioSync sends the patient and waits for the EHR's responses
	// (POST /ehr/send-patient-data).
	ScenarioSync Scenario = "sync"
	// ScenarioAsync queues the patient and measures only the 202 response
	// (POST /ehr/send-patient-data-async).
	ScenarioAsync Scenario = "async"
	// ScenarioEndToEnd queues --count patients, then waits until the queue
	// has delivered every one of them.
	ScenarioEndToEnd Scenario = "e2e"
)

var scenarios = []Scenario{ScenarioMapping, ScenarioSync, ScenarioAsync, ScenarioEndToEnd}

// APIKeyVariable is the environment variable read when --key is absent.
const APIKeyVariable = "EHRBRIDGE_API_KEY"

const (
	defaultConcurrency    = 10
	defaultEHR            = "Athena"
	defaultDeliveryWait   = 5 * time.Minute
	defaultRequestTimeout = 30 * time.Second
)

const usageHeader = `Usage: ehrbridge bench --url URL --scenario mapping|sync|async|e2e (--duration 30s | --count N) [options]

Sends requests from --concurrency workers to one ehrbridge server and prints requests per
second, latency percentiles and errors by HTTP status. Scenarios:
  mapping  GET /ehr/mapping/<ehr>
  sync     POST /ehr/send-patient-data (a status other than 200 is an error)
  async    POST /ehr/send-patient-data-async (measures the 202 response only)
  e2e      --count async sends, then waits until each is delivered and reports deliveries per second
Ctrl-C stops early and still prints the figures.

Options:
`

// Options is a parsed and validated bench command line.
type Options struct {
	// BaseURL is the server's root URL, http or https, without query.
	BaseURL     *url.URL
	Scenario    Scenario
	Concurrency int
	// Exactly one of Duration and Count is set. The load stops when the
	// duration has passed or when Count requests have started.
	Duration time.Duration
	Count    int
	// EHR is the EHR whose mapping is read or to which patients are sent.
	EHR    string
	APIKey string
	JSON   bool
	// DeliveryTimeout bounds how long the e2e scenario waits, after the
	// last send was accepted, for every transaction to become final.
	DeliveryTimeout time.Duration
	// RequestTimeout bounds each HTTP request, reading its body included.
	RequestTimeout time.Duration
	// RequestBody is the send request (ehrName, patientData, language)
	// for the sync, async and e2e scenarios, and nil for mapping.
	RequestBody []byte
}

// ParseOptions parses the arguments after "ehrbridge bench". lookupEnv
// reads EHRBRIDGE_API_KEY when --key is absent. Flag errors and usage go
// to output. It returns flag.ErrHelp for -h.
func ParseOptions(args []string, lookupEnv func(string) (string, bool), output io.Writer) (Options, error) {
	flags := flag.NewFlagSet("bench", flag.ContinueOnError)
	flags.SetOutput(output)
	rawURL := flags.String("url", "", "root URL of the ehrbridge server, such as http://127.0.0.1:3001 (required)")
	scenario := flags.String("scenario", "", "what each request does: mapping, sync, async or e2e (required)")
	concurrency := flags.Int("concurrency", defaultConcurrency, "number of workers sending requests in parallel")
	duration := flags.Duration("duration", 0, "how long to send, such as 30s (give this or --count; not for e2e)")
	count := flags.Int("count", 0, "number of requests to send (give this or --duration; required for e2e)")
	patientFile := flags.String("patient", "", "JSON file of a send request with a patientData object (default: a built-in synthetic patient)")
	ehrName := flags.String("ehr", defaultEHR, "EHR whose mapping is read or to which patients are sent; when given, it replaces the patient file's ehrName")
	apiKey := flags.String("key", "", "API key sent as a Bearer token (default: $"+APIKeyVariable+")")
	asJSON := flags.Bool("json", false, "print one JSON object instead of text")
	deliveryTimeout := flags.Duration("timeout", defaultDeliveryWait, "e2e: how long to wait for every accepted send to become final")
	requestTimeout := flags.Duration("request-timeout", defaultRequestTimeout, "time limit of each HTTP request")
	flags.Usage = func() {
		fmt.Fprint(output, usageHeader)
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return Options{}, err
	}
	if flags.NArg() > 0 {
		return Options{}, fmt.Errorf("bench takes no positional arguments, got %q", flags.Args())
	}

	opts := Options{
		Scenario: Scenario(*scenario), Concurrency: *concurrency, Duration: *duration, Count: *count,
		EHR: strings.TrimSpace(*ehrName), APIKey: *apiKey, JSON: *asJSON,
		DeliveryTimeout: *deliveryTimeout, RequestTimeout: *requestTimeout,
	}
	if opts.APIKey == "" {
		opts.APIKey, _ = lookupEnv(APIKeyVariable)
	}
	baseURL, err := parseBaseURL(*rawURL)
	if err != nil {
		return Options{}, err
	}
	opts.BaseURL = baseURL
	if err := opts.validate(); err != nil {
		return Options{}, err
	}
	if opts.Scenario != ScenarioMapping {
		ehrSet := isFlagSet(flags, "ehr")
		opts.RequestBody, opts.EHR, err = loadRequestBody(*patientFile, opts.EHR, ehrSet)
		if err != nil {
			return Options{}, err
		}
	}

	return opts, nil
}

// parseBaseURL accepts only an absolute http or https URL with a host,
// because the bench sends nowhere else.
func parseBaseURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, errors.New("--url is required, such as --url http://127.0.0.1:3001")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("invalid --url %q: give an http or https URL such as http://127.0.0.1:3001 (%w)", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("invalid --url %q: the scheme must be http or https", raw)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("invalid --url %q: the host is missing", raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("invalid --url %q: remove the user name and password, and give an API key with --key", u.Redacted())
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("invalid --url %q: remove the query and fragment", raw)
	}

	return u, nil
}

func (o Options) validate() error {
	if !slices.Contains(scenarios, o.Scenario) {
		return fmt.Errorf("invalid --scenario %q: use mapping, sync, async or e2e", o.Scenario)
	}
	if o.Concurrency < 1 {
		return fmt.Errorf("invalid --concurrency %d: it must be at least 1", o.Concurrency)
	}
	if o.Duration < 0 {
		return fmt.Errorf("invalid --duration %s: it must be positive", o.Duration)
	}
	if o.Count < 0 {
		return fmt.Errorf("invalid --count %d: it must be positive", o.Count)
	}
	if o.Duration > 0 && o.Count > 0 {
		return errors.New("give either --duration or --count, not both")
	}
	if o.Scenario == ScenarioEndToEnd && o.Count == 0 {
		return errors.New("the e2e scenario needs --count, the number of sends whose delivery it waits for")
	}
	if o.Duration == 0 && o.Count == 0 {
		return errors.New("give --duration (such as 30s) or --count (such as 1000)")
	}
	if o.EHR == "" {
		return errors.New("--ehr must not be empty")
	}
	if o.DeliveryTimeout <= 0 {
		return fmt.Errorf("invalid --timeout %s: it must be positive", o.DeliveryTimeout)
	}
	if o.RequestTimeout <= 0 {
		return fmt.Errorf("invalid --request-timeout %s: it must be positive", o.RequestTimeout)
	}

	return nil
}

func isFlagSet(flags *flag.FlagSet, name string) bool {
	set := false
	flags.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})

	return set
}
