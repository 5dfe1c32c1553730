package ehr

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// everySourceMapping returns a valid full-form mapping with a rule for each
// source path and each transform type, so a fuzzed patient goes through
// every reader and transform.
func everySourceMapping() string {
	var rules []string
	for i, source := range SourceFields() {
		rules = append(rules, `{"source": "`+source+`", "target": "F`+strconv.Itoa(i)+`"}`)
	}
	rules = append(rules,
		`{"source": "answers.smoker", "target": "A_SMOKER", "transform": {"type": "valueMap", "values": {"yes": "Y", "no": "N"}}}`,
		`{"source": "answers.diet", "target": "A_DIET", "transform": {"type": "join", "separator": " | "}}`,
		`{"source": "p_answers.visits", "target": "A_VISITS"}`,
		`{"source": "name", "target": "T_NAME", "transform": {"type": "template", "template": "{lastName}, {firstName} - {answers.title}"}}`,
		`{"source": "p_dob", "target": "T_DOB", "transform": {"type": "dateFormat", "format": "DD.MM.YYYY"}}`,
		`{"source": "gender", "target": "T_GENDER", "transform": {"type": "valueMap", "values": {"female": "F", "male": "M"}}}`,
	)

	return `{"endpoints": [
  {"name": "identity", "path": "/v1/{practiceId}/patients", "identifiesPatient": true, "patientIdPath": "0.id",
   "fields": [{"source": "lastName", "target": "LAST"}]},
  {"name": "every_source", "method": "put", "path": "/v1/{practiceId}/patients/{patientId}/all", "encoding": "form",
   "fields": [` + strings.Join(rules, ",\n     ") + `]},
  {"name": "by_action", "action": "SaveEverything", "fields": [{"source": "symptoms", "target": "SYMPTOMS"}]}
]}`
}

// mustParseFuzzMapping parses and validates a full-form mapping.
func mustParseFuzzMapping(tb testing.TB, raw string) Config {
	tb.Helper()
	cfg, errs := ParseMappingConfig(json.RawMessage(raw), Endpoint{}, nil)
	if len(errs) == 0 {
		errs = cfg.Validate()
	}
	if len(errs) > 0 {
		tb.Fatalf("fixed mapping is not valid: %v", errs)
	}

	return cfg
}

// decodedFuzzPatients decodes the sample patients as a send request does,
// keeping those with field errors too, because Apply must not panic on any
// patient.
func decodedFuzzPatients(tb testing.TB) []*Patient {
	tb.Helper()
	inputs := append(patientSamples(tb),
		json.RawMessage(fullPatientJSON),
		json.RawMessage(`{"answers": {"smoker": true, "diet": ["vegan", 3, false], "visits": 1e2, "title": "Dr."}}`),
		json.RawMessage(`{"identifiers": {"ehrPatientId": ".."}, "emergencyContact": "  call the front desk  "}`),
	)

	patients := make([]*Patient, 0, len(inputs)+1)
	for _, raw := range inputs {
		patient, _ := DecodeAndValidatePatient(raw, fuzzNow)
		if patient == nil {
			tb.Fatalf("sample patient is not a JSON object: %s", raw)
		}
		patients = append(patients, patient)
	}

	return append(patients, &Patient{})
}

// FuzzApplyParsedMapping parses fuzzed bytes as a mapping config and, when
// the config is valid, applies and plans it for patients decoded from the
// sample send requests. Errors must carry known codes and nothing may panic.
func FuzzApplyParsedMapping(f *testing.F) {
	seeds := []string{
		athenaTestMapping, allscriptsTestMapping, everySourceMapping(),
		`{"patient": {"firstName": "PATIENT_FIRST_NAME", "p_dob": "DOB", "answers.x": "X"}}`,
		`{"patient": {"name": "N"}, "medical_history": {"allergies": "ALLERGIES"}}`,
		`{"endpoints": {"firstName": "F"}}`,
		`{"endpoints": [{"name": "a", "path": "/a/{patientId}", "identifiesPatient": true, "fields": [{"source": "age", "target": "A"}]}]}`,
		`{"endpoints": [{"name": "a", "action": "Save", "fields": [{"source": "name", "target": "N",
			"transform": {"type": "template", "template": "{firstName"}}]}]}`,
		`{"endpoints": [{"name": "a", "path": "/a", "fields": [{"source": "dob", "target": "D",
			"transform": {"type": "dateFormat", "format": "YYYYYYYY"}}]}]}`,
		`{"endpoints": [{"name": "a", "path": "/a", "fields": [{"source": "gender", "target": "G",
			"transform": {"type": "valueMap", "values": {"": "", "X": null}}}]}]}`,
		`{"endpoints": [` + deeplyNested(40) + `]}`,
		`{"endpoints": [{"name": 1, "identifiesPatient": "yes", "fields": {}, "extra": true}]}`,
		"{\"patient\": {\"\xff\": \"T\"}}", `{"": {}}`, `[]`, `null`, `0`, ``, `{"endpoints": null}`,
	}
	for _, seed := range seeds {
		f.Add([]byte(seed))
	}

	patients := decodedFuzzPatients(f)
	current := parseTestCurrentConfig()
	f.Fuzz(func(t *testing.T, raw []byte) {
		cfg, errs := ParseMappingConfig(raw, parseTestPatientEndpoint, current)
		if len(errs) == 0 {
			errs = cfg.Validate()
		}
		checkMappingErrorCodes(t, errs)
		if len(errs) > 0 {
			return
		}

		for _, patient := range patients {
			checkMappingApplies(t, cfg, patient)
		}
	})
}

// FuzzApplyMappingToPatient decodes fuzzed bytes as a patient and applies
// fixed valid mappings to whatever decoded, valid or not.
func FuzzApplyMappingToPatient(f *testing.F) {
	f.Add([]byte(fullPatientJSON))
	for _, sample := range patientSamples(f) {
		f.Add([]byte(sample))
	}
	for _, input := range patientEdgeCases {
		f.Add([]byte(input))
	}
	f.Add([]byte(`{"identifiers": {"ehrPatientId": "../admin"}, "answers": {"title": "{firstName}", "diet": []}}`))
	f.Add([]byte(`{"identifiers": {"ehrPatientId": "%2e%2e"}, "dateOfBirth": "0000-01-01", "gender": "  MALE "}`))

	configs := []Config{
		mustParseFuzzMapping(f, athenaTestMapping),
		mustParseFuzzMapping(f, allscriptsTestMapping),
		mustParseFuzzMapping(f, everySourceMapping()),
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		patient, _ := DecodeAndValidatePatient(json.RawMessage(raw), fuzzNow)
		if patient == nil {
			return
		}

		for _, cfg := range configs {
			checkMappingApplies(t, cfg, patient)
			_ = UnsentFields(cfg.Endpoints, patient)
		}
		checkPatientIDExpands(t, configs[0], patient.Identifiers.EHRPatientID)
	})
}

// checkMappingErrorCodes checks that every mapping error has a code that
// MappingErrorCodes lists, so it has a locale message.
func checkMappingErrorCodes(t *testing.T, errs FieldErrors) {
	t.Helper()
	codes := MappingErrorCodes()
	for _, fe := range errs {
		if !slices.Contains(codes, fe.Code) {
			t.Errorf("mapping error on %q has code %q, which MappingErrorCodes does not list", fe.Field, fe.Code)
		}
	}
}

// checkMappingApplies applies every endpoint of a valid cfg to patient and
// plans a send with no targets and with every endpoint named.
func checkMappingApplies(t *testing.T, cfg Config, patient *Patient) {
	t.Helper()
	for _, endpoint := range cfg.Endpoints {
		checkEndpointFields(t, endpoint, patient)
	}

	checkPlan(t, cfg, patient, nil)
	names := make([]string, len(cfg.Endpoints))
	for i, endpoint := range cfg.Endpoints {
		names[i] = endpoint.Name
	}
	checkPlan(t, cfg, patient, names)
}

// checkEndpointFields checks that Apply sends only targets the endpoint's
// rules name, each with a non-blank value, and that HasValues agrees.
func checkEndpointFields(t *testing.T, endpoint Endpoint, patient *Patient) {
	t.Helper()
	targets := make(map[string]bool, len(endpoint.Fields))
	for _, rule := range endpoint.Fields {
		targets[rule.Target] = true
	}

	fields := endpoint.Apply(patient)
	for _, field := range fields {
		if !targets[field.Target] {
			t.Errorf("endpoint %q: Apply sent target %q that no rule names", endpoint.Name, field.Target)
		}
		if strings.TrimSpace(field.Value) == "" {
			t.Errorf("endpoint %q: Apply sent target %q with a blank value", endpoint.Name, field.Target)
		}
	}
	if hasValues := endpoint.HasValues(patient); hasValues != (len(fields) > 0) {
		t.Errorf("endpoint %q: HasValues = %t but Apply returned %d fields", endpoint.Name, hasValues, len(fields))
	}
}

// checkPlan checks that a plan lists endpoints of cfg at most once, with
// the identity endpoint first when it is planned, and every named target
// when targets are given.
func checkPlan(t *testing.T, cfg Config, patient *Patient, targets []string) {
	t.Helper()
	plan, errs := PlanDelivery(cfg, patient, targets)
	if len(errs) > 0 {
		for _, fe := range errs {
			if !slices.Contains(PlanErrorCodes(), fe.Code) {
				t.Errorf("plan error on %q has code %q, which PlanErrorCodes does not list", fe.Field, fe.Code)
			}
		}
		return
	}

	if len(plan.Endpoints) == 0 {
		t.Fatalf("plan without errors has no endpoints")
	}
	if targets != nil && len(plan.Endpoints) != len(targets) {
		t.Errorf("plan for %d targets has %d endpoints", len(targets), len(plan.Endpoints))
	}
	if plan.IdentityIndex > 0 || plan.IdentityIndex == 0 && !plan.Endpoints[0].Endpoint.IdentifiesPatient {
		t.Errorf("identity endpoint planned at index %d, want 0", plan.IdentityIndex)
	}

	planned := make(map[string]bool, len(plan.Endpoints))
	for i, entry := range plan.Endpoints {
		name := entry.Endpoint.Name
		if _, ok := cfg.EndpointNamed(name); !ok || planned[name] {
			t.Errorf("plan entry %d names endpoint %q, which is unknown or planned twice", i, name)
		}
		planned[name] = true
		if entry.Position != i {
			t.Errorf("plan entry %d has position %d", i, entry.Position)
		}
	}
}

// checkPatientIDExpands expands the paths of cfg with a patient-supplied
// EHR patient id, which must either fail with a path error or give a path
// that has no "." or ".." segment, query or fragment.
func checkPatientIDExpands(t *testing.T, cfg Config, patientID string) {
	t.Helper()
	values := map[string]string{PathPlaceholderPracticeID: "195900", PathPlaceholderPatientID: patientID}
	for _, endpoint := range cfg.Endpoints {
		if !PathNeedsPatientID(endpoint.Path) {
			continue
		}
		path, err := ExpandPath(endpoint.Path, values)
		if err != nil {
			if !errors.Is(err, ErrPathValueMissing) && !errors.Is(err, ErrPathValueInvalid) {
				t.Errorf("endpoint %q: ExpandPath failed with an unexpected error: %v", endpoint.Name, err)
			}
			continue
		}
		if strings.ContainsAny(path, "?#") {
			t.Errorf("endpoint %q: expanded path %q has a query or fragment", endpoint.Name, path)
		}
		for segment := range strings.SplitSeq(path, "/") {
			if segment == "." || segment == ".." {
				t.Errorf("endpoint %q: expanded path %q has a %q segment", endpoint.Name, path, segment)
			}
		}
	}
}
