package bench

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func noEnv(string) (string, bool) { return "", false }

func parse(t *testing.T, args ...string) (Options, error) {
	t.Helper()

	return ParseOptions(args, noEnv, io.Discard)
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "patient.json")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatalf("writing %s: %v", path, err)
	}

	return path
}

func TestParseOptionsValid(t *testing.T) {
	opts, err := parse(t, "--url", "http://127.0.0.1:3101/", "--scenario", "sync", "--concurrency", "4", "--duration", "10s")
	if err != nil {
		t.Fatalf("ParseOptions: %v", err)
	}
	if opts.Scenario != ScenarioSync {
		t.Errorf("scenario = %q, want sync", opts.Scenario)
	}
	if opts.Concurrency != 4 {
		t.Errorf("concurrency = %d, want 4", opts.Concurrency)
	}
	if opts.Duration != 10*time.Second || opts.Count != 0 {
		t.Errorf("duration, count = %s, %d, want 10s, 0", opts.Duration, opts.Count)
	}
	if opts.EHR != "Athena" {
		t.Errorf("ehr = %q, want Athena", opts.EHR)
	}
	if opts.DeliveryTimeout != 5*time.Minute {
		t.Errorf("delivery timeout = %s, want 5m", opts.DeliveryTimeout)
	}
	if len(opts.RequestBody) == 0 {
		t.Error("sync scenario has no request body")
	}
}

func TestParseOptionsRejects(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing url", []string{"--scenario", "sync", "--count", "1"}, "--url is required"},
		{"ftp url", []string{"--url", "ftp://127.0.0.1", "--scenario", "sync", "--count", "1"}, "http or https"},
		{"url without scheme", []string{"--url", "127.0.0.1:3001", "--scenario", "sync", "--count", "1"}, "http or https"},
		{"url without host", []string{"--url", "http:///ehr", "--scenario", "sync", "--count", "1"}, "host is missing"},
		{"url with password", []string{"--url", "http://user:secret@127.0.0.1", "--scenario", "sync", "--count", "1"}, "user name and password"},
		{"url with query", []string{"--url", "http://127.0.0.1?x=1", "--scenario", "sync", "--count", "1"}, "query"},
		{"unknown scenario", []string{"--url", "http://127.0.0.1", "--scenario", "bulk", "--count", "1"}, "invalid --scenario"},
		{"zero concurrency", []string{"--url", "http://127.0.0.1", "--scenario", "sync", "--count", "1", "--concurrency", "0"}, "--concurrency"},
		{"negative count", []string{"--url", "http://127.0.0.1", "--scenario", "sync", "--count", "-3"}, "--count"},
		{"negative duration", []string{"--url", "http://127.0.0.1", "--scenario", "sync", "--duration", "-1s"}, "--duration"},
		{"duration and count", []string{"--url", "http://127.0.0.1", "--scenario", "sync", "--count", "5", "--duration", "1s"}, "not both"},
		{"neither duration nor count", []string{"--url", "http://127.0.0.1", "--scenario", "mapping"}, "--duration"},
		{"e2e with duration", []string{"--url", "http://127.0.0.1", "--scenario", "e2e", "--duration", "10s"}, "needs --count"},
		{"empty ehr", []string{"--url", "http://127.0.0.1", "--scenario", "mapping", "--count", "1", "--ehr", " "}, "--ehr"},
		{"zero timeout", []string{"--url", "http://127.0.0.1", "--scenario", "e2e", "--count", "1", "--timeout", "0s"}, "--timeout"},
		{"zero request timeout", []string{"--url", "http://127.0.0.1", "--scenario", "sync", "--count", "1", "--request-timeout", "0s"}, "--request-timeout"},
		{"positional argument", []string{"--url", "http://127.0.0.1", "--scenario", "sync", "--count", "1", "extra"}, "positional"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse(t, tc.args...)
			if err == nil {
				t.Fatalf("ParseOptions(%q) succeeded, want an error", tc.args)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestParseOptionsPatientFileRejects(t *testing.T) {
	cases := []struct {
		name    string
		content string
		want    string
	}{
		{"array", `[{"patientData": {}}]`, "JSON object"},
		{"not json", `{"patientData": {"firstName": "Ana"`, "not valid JSON"},
		{"no patientData", `{"ehrName": "Athena", "firstName": "Ana"}`, "patientData object is missing"},
		{"patientData string", `{"patientData": "Ana"}`, "patientData must be a JSON object"},
		{"empty", ``, "JSON object"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, tc.content)
			_, err := parse(t, "--url", "http://127.0.0.1", "--scenario", "sync", "--count", "1", "--patient", path)
			if err == nil {
				t.Fatal("ParseOptions succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "Ana") {
				t.Errorf("error %q quotes the patient file", err)
			}
		})
	}
}

func TestParseOptionsMissingPatientFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent.json")
	_, err := parse(t, "--url", "http://127.0.0.1", "--scenario", "async", "--count", "1", "--patient", path)
	if err == nil || !strings.Contains(err.Error(), "reading --patient file") {
		t.Errorf("error = %v, want a read failure of the --patient file", err)
	}
}

func ehrNameOf(t *testing.T, body []byte) string {
	t.Helper()
	var request struct {
		EHRName string `json:"ehrName"`
	}
	if err := json.Unmarshal(body, &request); err != nil {
		t.Fatalf("decoding request body: %v", err)
	}

	return request.EHRName
}

func TestParseOptionsPatientFileEHR(t *testing.T) {
	path := writeFile(t, `{"ehrName": "Allscripts", "patientData": {"firstName": "Ana"}}`)

	fromFile, err := parse(t, "--url", "http://127.0.0.1", "--scenario", "sync", "--count", "1", "--patient", path)
	if err != nil {
		t.Fatalf("ParseOptions: %v", err)
	}
	if fromFile.EHR != "Allscripts" || ehrNameOf(t, fromFile.RequestBody) != "Allscripts" {
		t.Errorf("without --ehr: ehr %q, body ehrName %q, want the file's Allscripts", fromFile.EHR, ehrNameOf(t, fromFile.RequestBody))
	}

	replaced, err := parse(t, "--url", "http://127.0.0.1", "--scenario", "sync", "--count", "1", "--patient", path, "--ehr", "Athena")
	if err != nil {
		t.Fatalf("ParseOptions: %v", err)
	}
	if replaced.EHR != "Athena" || ehrNameOf(t, replaced.RequestBody) != "Athena" {
		t.Errorf("with --ehr Athena: ehr %q, body ehrName %q, want Athena", replaced.EHR, ehrNameOf(t, replaced.RequestBody))
	}
}

func TestParseOptionsPatientFileWithoutEHR(t *testing.T) {
	path := writeFile(t, `{"patientData": {"firstName": "Ana"}}`)
	opts, err := parse(t, "--url", "http://127.0.0.1", "--scenario", "sync", "--count", "1", "--patient", path)
	if err != nil {
		t.Fatalf("ParseOptions: %v", err)
	}
	if got := ehrNameOf(t, opts.RequestBody); got != "Athena" {
		t.Errorf("body ehrName = %q, want the default Athena", got)
	}
}

func TestParseOptionsAPIKey(t *testing.T) {
	env := func(name string) (string, bool) {
		if name == APIKeyVariable {
			return "key-from-env", true
		}
		return "", false
	}
	args := []string{"--url", "http://127.0.0.1", "--scenario", "mapping", "--count", "1"}

	fromEnv, err := ParseOptions(args, env, io.Discard)
	if err != nil {
		t.Fatalf("ParseOptions: %v", err)
	}
	if fromEnv.APIKey != "key-from-env" {
		t.Errorf("API key = %q, want the one from %s", fromEnv.APIKey, APIKeyVariable)
	}

	fromFlag, err := ParseOptions(append(args, "--key", "key-from-flag"), env, io.Discard)
	if err != nil {
		t.Fatalf("ParseOptions: %v", err)
	}
	if fromFlag.APIKey != "key-from-flag" {
		t.Errorf("API key = %q, want the one from --key", fromFlag.APIKey)
	}
}

func TestParseOptionsMappingNeedsNoBody(t *testing.T) {
	opts, err := parse(t, "--url", "https://ehrbridge.example.org/base", "--scenario", "mapping", "--count", "3", "--ehr", "Allscripts")
	if err != nil {
		t.Fatalf("ParseOptions: %v", err)
	}
	if opts.RequestBody != nil {
		t.Error("mapping scenario has a request body")
	}
	plan := planScenario(opts)
	if plan.request.url != "https://ehrbridge.example.org/base/ehr/mapping/Allscripts" {
		t.Errorf("mapping URL = %q, want it under the --url path", plan.request.url)
	}
}

func TestEmbeddedSampleIsValid(t *testing.T) {
	request, err := decodeSendRequest(samplePatient)
	if err != nil {
		t.Fatalf("built-in sample: %v", err)
	}
	if _, ok := request["patientData"]; !ok {
		t.Error("built-in sample has no patientData")
	}
}
