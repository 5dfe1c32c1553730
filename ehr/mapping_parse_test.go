package ehr

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// parseTestPatientEndpoint is an athena-style patient-create endpoint.
var parseTestPatientEndpoint = Endpoint{
	Name:              "patient",
	Method:            "POST",
	Path:              "/v1/{practiceId}/patients",
	Encoding:          EncodingForm,
	IdentifiesPatient: true,
	PatientIDPath:     "0.patientid",
}

// parseTestCurrentConfig is the mapping in force when a simple-form config
// arrives.
func parseTestCurrentConfig() *Config {
	return &Config{Endpoints: []Endpoint{
		parseTestPatientEndpoint,
		{
			Name: "medical_history", Method: "PUT", Path: "/v1/{practiceId}/chart/{patientId}/medicalhistory",
			Encoding: EncodingForm,
			Fields:   []FieldRule{{Source: "medicalHistory", Target: "OLD_TARGET"}},
		},
	}}
}

func TestParseFullForm(t *testing.T) {
	t.Parallel()

	cfg, errs := ParseMappingConfig(json.RawMessage(allscriptsTestMapping), Endpoint{}, nil)
	if len(errs) > 0 {
		t.Fatalf("ParseMappingConfig errors: %v", errs)
	}

	if len(cfg.Endpoints) != 2 {
		t.Fatalf("got %d endpoints, want 2", len(cfg.Endpoints))
	}
	demographics := cfg.Endpoints[0]
	if demographics.Name != "patient_demographics" || demographics.Action != "SavePatient" {
		t.Errorf("first endpoint = %q action %q, want patient_demographics action SavePatient", demographics.Name, demographics.Action)
	}
	if !demographics.IdentifiesPatient {
		t.Error("first endpoint does not identify the patient")
	}
	if demographics.PatientIDPath != "0.savepatientinfo.0.PatientID" {
		t.Errorf("patientIdPath = %q", demographics.PatientIDPath)
	}
	if demographics.Method != "POST" || demographics.Encoding != EncodingJSON {
		t.Errorf("defaults not filled: method %q encoding %q, want POST json", demographics.Method, demographics.Encoding)
	}

	wantGender := FieldRule{Source: "p_gender", Target: "GENDER_PAT", Transform: &Transform{
		Type: TransformValueMap, Values: map[string]string{"male": "M", "female": "F", "other": "O", "unknown": "U"},
	}}
	if !reflect.DeepEqual(demographics.Fields[1], wantGender) {
		t.Errorf("gender rule = %+v, want %+v", demographics.Fields[1], wantGender)
	}
	wantJoin := FieldRule{Source: "p_allergies", Target: "ALLERGIES_PAT", Transform: &Transform{Type: TransformJoin, Separator: "; "}}
	if !reflect.DeepEqual(cfg.Endpoints[1].Fields[0], wantJoin) {
		t.Errorf("allergies rule = %+v, want %+v", cfg.Endpoints[1].Fields[0], wantJoin)
	}
}

func TestParseNormalizesEndpoints(t *testing.T) {
	t.Parallel()

	raw := `{"endpoints": [{"name": "a", "method": " patch ", "path": "/a", "fields": [{"source": "age", "target": "AGE"}]},
		{"name": "b", "path": "/b", "encoding": "form", "fields": [{"source": "age", "target": "AGE"}]}]}`
	cfg, errs := ParseMappingConfig(json.RawMessage(raw), Endpoint{}, nil)
	if len(errs) > 0 {
		t.Fatalf("ParseMappingConfig errors: %v", errs)
	}

	if got := cfg.Endpoints[0].Method; got != "PATCH" {
		t.Errorf("method = %q, want PATCH", got)
	}
	if got := cfg.Endpoints[0].Encoding; got != EncodingJSON {
		t.Errorf("default encoding = %q, want json", got)
	}
	if got := cfg.Endpoints[1].Method; got != "POST" {
		t.Errorf("default method = %q, want POST", got)
	}
	if got := cfg.Endpoints[1].Encoding; got != EncodingForm {
		t.Errorf("encoding = %q, want form", got)
	}
}

func TestParseAcceptsNullMembers(t *testing.T) {
	t.Parallel()

	raw := `{"endpoints": [{"name": "a", "method": null, "path": "/a", "action": null, "identifiesPatient": null,
		"fields": [{"source": "age", "target": "AGE", "transform": null}]},
		{"name": "b", "path": "/b", "fields": null}]}`
	cfg, errs := ParseMappingConfig(json.RawMessage(raw), Endpoint{}, nil)
	if len(errs) > 0 {
		t.Fatalf("ParseMappingConfig errors: %v", errs)
	}
	if cfg.Endpoints[0].Fields[0].Transform != nil {
		t.Error("null transform parsed as a transform")
	}
	if cfg.Endpoints[1].Fields != nil {
		t.Errorf("null fields parsed as %v", cfg.Endpoints[1].Fields)
	}
}

func TestParseSimpleFormPatient(t *testing.T) {
	t.Parallel()

	raw := `{"patient": {"firstName": "PATIENT_FIRST_NAME", "contact.email": "PATIENT_EMAIL_ID", "age": "AGE_PATIENT"}}`
	cfg, errs := ParseMappingConfig(json.RawMessage(raw), parseTestPatientEndpoint, nil)
	if len(errs) > 0 {
		t.Fatalf("ParseMappingConfig errors: %v", errs)
	}

	want := parseTestPatientEndpoint
	want.Fields = []FieldRule{
		{Source: "firstName", Target: "PATIENT_FIRST_NAME"},
		{Source: "contact.email", Target: "PATIENT_EMAIL_ID"},
		{Source: "age", Target: "AGE_PATIENT"},
	}
	if !reflect.DeepEqual(cfg, Config{Endpoints: []Endpoint{want}}) {
		t.Errorf("ParseMappingConfig = %+v, want %+v", cfg, want)
	}
	if errs := cfg.Validate(); len(errs) > 0 {
		t.Errorf("simple-form config does not validate: %v", errs)
	}
}

func TestParseSimpleFormKeepsKeyOrder(t *testing.T) {
	t.Parallel()

	sources := []string{
		"symptoms", "age", "lastName", "contact.phone", "firstName", "bloodType", "allergies",
		"maritalStatus", "dob", "gender", "medications", "contact.email", "insuranceProvider",
		"answers.zeta", "answers.alpha", "familyHistory",
	}
	var members []string
	for i, source := range sources {
		members = append(members, `"`+source+`": "T`+strings.Repeat("X", i)+`"`)
	}
	raw := `{"patient": {` + strings.Join(members, ", ") + `}}`

	cfg, errs := ParseMappingConfig(json.RawMessage(raw), parseTestPatientEndpoint, nil)
	if len(errs) > 0 {
		t.Fatalf("ParseMappingConfig errors: %v", errs)
	}
	rules := cfg.Endpoints[0].Fields
	if len(rules) != len(sources) {
		t.Fatalf("got %d rules, want %d", len(rules), len(sources))
	}
	for i, source := range sources {
		if rules[i].Source != source {
			t.Errorf("rule %d source = %q, want %q", i, rules[i].Source, source)
		}
	}
}

func TestParseSimpleFormCurrentEndpoint(t *testing.T) {
	t.Parallel()

	raw := `{"medical_history": {"allergies": "ALLERGIES_PATIENT"}, "patient": {"firstName": "PATIENT_FIRST_NAME"}}`
	cfg, errs := ParseMappingConfig(json.RawMessage(raw), parseTestPatientEndpoint, parseTestCurrentConfig())
	if len(errs) > 0 {
		t.Fatalf("ParseMappingConfig errors: %v", errs)
	}

	if len(cfg.Endpoints) != 2 {
		t.Fatalf("got %d endpoints, want 2", len(cfg.Endpoints))
	}
	history := cfg.Endpoints[0]
	if history.Name != "medical_history" || history.Method != "PUT" || history.Encoding != EncodingForm {
		t.Errorf("medical_history settings = %q %q %q, want the current endpoint's", history.Name, history.Method, history.Encoding)
	}
	if history.Path != "/v1/{practiceId}/chart/{patientId}/medicalhistory" {
		t.Errorf("medical_history path = %q", history.Path)
	}
	wantRules := []FieldRule{{Source: "allergies", Target: "ALLERGIES_PATIENT"}}
	if !reflect.DeepEqual(history.Fields, wantRules) {
		t.Errorf("medical_history rules = %v, want %v", history.Fields, wantRules)
	}
	if cfg.Endpoints[1].Name != "patient" {
		t.Errorf("second endpoint = %q, want patient", cfg.Endpoints[1].Name)
	}
}

func TestParseSimpleFormUnnamedPatientEndpoint(t *testing.T) {
	t.Parallel()

	patientEndpoint := parseTestPatientEndpoint
	patientEndpoint.Name = ""
	cfg, errs := ParseMappingConfig(json.RawMessage(`{"patient": {"age": "AGE"}}`), patientEndpoint, nil)
	if len(errs) > 0 {
		t.Fatalf("ParseMappingConfig errors: %v", errs)
	}
	if got := cfg.Endpoints[0].Name; got != SimpleFormPatientKey {
		t.Errorf("endpoint name = %q, want %q", got, SimpleFormPatientKey)
	}
}

func TestParseDoesNotShareCurrentRules(t *testing.T) {
	t.Parallel()

	current := parseTestCurrentConfig()
	cfg, errs := ParseMappingConfig(json.RawMessage(`{"medical_history": {"allergies": "A"}}`), parseTestPatientEndpoint, current)
	if len(errs) > 0 {
		t.Fatalf("ParseMappingConfig errors: %v", errs)
	}
	cfg.Endpoints[0].Fields[0].Target = "CHANGED"
	if got := current.Endpoints[1].Fields[0].Target; got != "OLD_TARGET" {
		t.Errorf("current config rule changed to %q", got)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()

	long := strings.Repeat("k", 70)
	cases := []struct {
		name string
		raw  string
		want FieldErrors
	}{
		{name: "empty input", raw: ``, want: FieldErrors{{Field: "", Code: "mapping_empty"}}},
		{name: "null", raw: `null`, want: FieldErrors{{Field: "", Code: "mapping_empty"}}},
		{name: "empty object", raw: `{}`, want: FieldErrors{{Field: "", Code: "mapping_empty"}}},
		{name: "array", raw: `[{"patient": {}}]`, want: FieldErrors{{Field: "", Code: "must_be_object"}}},
		{name: "string", raw: `"patient"`, want: FieldErrors{{Field: "", Code: "must_be_object"}}},
		{name: "syntax error", raw: `{"endpoints": [}`, want: FieldErrors{{Field: "", Code: "invalid_json"}}},
		{name: "truncated", raw: `{"endpoints": [`, want: FieldErrors{{Field: "", Code: "invalid_json"}}},
		{name: "trailing data", raw: `{"patient": {}} {}`, want: FieldErrors{{Field: "", Code: "invalid_json"}}},
		{name: "too deep", raw: strings.Repeat("[", 40) + strings.Repeat("]", 40), want: FieldErrors{{Field: "", Code: "invalid_json"}}},
		{name: "endpoints not a list", raw: `{"endpoints": "all"}`, want: FieldErrors{{Field: "endpoints", Code: "must_be_list"}}},
		{name: "unknown top-level key", raw: `{"endpoints": [], "version": 2}`, want: FieldErrors{{Field: "version", Code: "unknown_field"}}},
		{name: "endpoint not an object", raw: `{"endpoints": [null, 3]}`, want: FieldErrors{
			{Field: "endpoints[0]", Code: "must_be_object"}, {Field: "endpoints[1]", Code: "must_be_object"},
		}},
		{name: "endpoint member types", raw: `{"endpoints": [{"name": 1, "identifiesPatient": "yes", "fields": {}}]}`, want: FieldErrors{
			{Field: "endpoints[0].name", Code: "must_be_string"},
			{Field: "endpoints[0].identifiesPatient", Code: "must_be_boolean"},
			{Field: "endpoints[0].fields", Code: "must_be_list"},
		}},
		{name: "unknown keys at every level", raw: `{"endpoints": [{"name": "a", "url": "/a", "fields": [
			{"source": "age", "target": "AGE"}, {"source": "age", "target": "B"},
			{"source": "age", "target": "C", "colour": "red", "transform": {"type": "join", "sep": "/"}}]}]}`, want: FieldErrors{
			{Field: "endpoints[0].url", Code: "unknown_field"},
			{Field: "endpoints[0].fields[2].colour", Code: "unknown_field"},
			{Field: "endpoints[0].fields[2].transform.sep", Code: "unknown_field"},
		}},
		{name: "rule and transform types", raw: `{"endpoints": [{"name": "a", "fields": ["age",
			{"source": ["age"], "target": 5, "transform": "join"},
			{"source": "gender", "target": "G", "transform": {"type": "valueMap", "values": {"male": 1, "female": null}}},
			{"source": "gender", "target": "H", "transform": {"type": "valueMap", "values": ["male"]}}]}]}`, want: FieldErrors{
			{Field: "endpoints[0].fields[0]", Code: "must_be_object"},
			{Field: "endpoints[0].fields[1].source", Code: "must_be_string"},
			{Field: "endpoints[0].fields[1].target", Code: "must_be_string"},
			{Field: "endpoints[0].fields[1].transform", Code: "must_be_object"},
			{Field: "endpoints[0].fields[2].transform.values.male", Code: "must_be_string"},
			{Field: "endpoints[0].fields[2].transform.values.female", Code: "must_be_string"},
			{Field: "endpoints[0].fields[3].transform.values", Code: "must_be_object"},
		}},
		{name: "simple form unknown endpoint", raw: `{"patient": {"age": "AGE"}, "labs": {"symptoms": "S"}}`, want: FieldErrors{
			{Field: "labs", Code: "unknown_endpoint"},
		}},
		{name: "simple form endpoint not an object", raw: `{"patient": ["age"]}`, want: FieldErrors{
			{Field: "patient", Code: "must_be_object"},
		}},
		{name: "simple form target not a string", raw: `{"patient": {"age": 5, "contact.email": null, "firstName": {"x": "y"}}}`, want: FieldErrors{
			{Field: "patient.age", Code: "must_be_string"},
			{Field: "patient.contact.email", Code: "must_be_string"},
			{Field: "patient.firstName", Code: "must_be_string"},
		}},
		{name: "long key cut in path", raw: `{"endpoints": [], "` + long + `": 1}`, want: FieldErrors{
			{Field: strings.Repeat("k", 64) + "…", Code: "unknown_field"},
		}},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, errs := ParseMappingConfig(json.RawMessage(tc.raw), parseTestPatientEndpoint, parseTestCurrentConfig())
			if !reflect.DeepEqual(errs, tc.want) {
				t.Errorf("%s: errors =\n%v\nwant\n%v", tc.name, errs, tc.want)
			}
			if !reflect.DeepEqual(cfg, Config{}) {
				t.Errorf("%s: config = %+v, want empty on error", tc.name, cfg)
			}
		})
	}
}

func TestParseSimpleFormWithoutCurrent(t *testing.T) {
	t.Parallel()

	_, errs := ParseMappingConfig(json.RawMessage(`{"medical_history": {"allergies": "A"}}`), parseTestPatientEndpoint, nil)
	want := FieldErrors{{Field: "medical_history", Code: "unknown_endpoint"}}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("errors = %v, want %v", errs, want)
	}
}

func TestParseEndpointsObjectIsSimpleForm(t *testing.T) {
	t.Parallel()

	_, errs := ParseMappingConfig(json.RawMessage(`{"endpoints": {"age": "AGE"}}`), parseTestPatientEndpoint, nil)
	want := FieldErrors{{Field: "endpoints", Code: "unknown_endpoint"}}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("errors = %v, want %v", errs, want)
	}
}

func TestParseRoundTrip(t *testing.T) {
	t.Parallel()

	for name, raw := range map[string]string{"athena": athenaTestMapping, "allscripts": allscriptsTestMapping} {
		cfg := mustParseValidMapping(t, raw)
		encoded, err := json.Marshal(cfg)
		if err != nil {
			t.Fatalf("%s: marshaling config: %v", name, err)
		}
		again, errs := ParseMappingConfig(encoded, Endpoint{}, nil)
		if len(errs) > 0 {
			t.Fatalf("%s: parsing marshaled config: %v", name, errs)
		}
		if !reflect.DeepEqual(again, cfg) {
			t.Errorf("%s: round trip changed the config:\n%+v\nwant\n%+v", name, again, cfg)
		}
	}
}

func FuzzParseMappingConfig(f *testing.F) {
	seeds := []string{
		athenaTestMapping,
		allscriptsTestMapping,
		`{"patient": {"firstName": "PATIENT_FIRST_NAME", "contact.email": "PATIENT_EMAIL_ID"}}`,
		`{"medical_history": {"allergies": "ALLERGIES_PATIENT"}, "patient": {"p_dob": "DOB"}}`,
		`{"endpoints": [{"name": "a", "path": "/a/{practiceId}", "fields": [{"source": "name", "target": "N",
			"transform": {"type": "template", "template": "{lastName}, {answers.x}"}}]}]}`,
		`{"endpoints": [{"name": "a", "path": "/a", "fields": [{"source": "gender", "target": "G",
			"transform": {"type": "valueMap", "values": {"Male": "M", " male": "X"}}}]}]}`,
		`{"endpoints": []}`, `{}`, `[]`, `null`, `"x"`, `{"endpoints": [{"fields": [{}]}]}`,
	}
	for _, seed := range seeds {
		f.Add([]byte(seed))
	}

	current := parseTestCurrentConfig()
	f.Fuzz(func(t *testing.T, raw []byte) {
		cfg, errs := ParseMappingConfig(raw, parseTestPatientEndpoint, current)
		if len(errs) > 0 {
			if len(cfg.Endpoints) != 0 {
				t.Fatalf("config with parse errors has %d endpoints", len(cfg.Endpoints))
			}
			return
		}
		if errs := cfg.Validate(); len(errs) > 0 {
			return
		}
		checkValidConfigApplies(t, cfg)
	})
}

// checkValidConfigApplies applies a validated config to sample patients,
// expands its paths and plans a send, which must all succeed without panic.
func checkValidConfigApplies(t *testing.T, cfg Config) {
	t.Helper()
	patients := []*Patient{mappingTestPatient(), {}, {Answers: map[string]any{"x": []any{nil, 1.5, "a"}}}}
	values := map[string]string{PathPlaceholderPracticeID: "195900", PathPlaceholderPatientID: "E-1001"}

	for _, endpoint := range cfg.Endpoints {
		for _, patient := range patients {
			fields := endpoint.Apply(patient)
			if endpoint.HasValues(patient) != (len(fields) > 0) {
				t.Fatalf("endpoint %q: HasValues disagrees with Apply", endpoint.Name)
			}
		}
		if endpoint.Path != "" {
			if _, err := ExpandPath(endpoint.Path, values); err != nil {
				t.Fatalf("endpoint %q: valid path does not expand: %v", endpoint.Name, err)
			}
		}
	}
	for _, patient := range patients {
		_, _ = PlanDelivery(cfg, patient, nil)
	}

	encoded, err := json.Marshal(cfg)
	if err != nil {
		t.Fatalf("marshaling valid config: %v", err)
	}
	again, errs := ParseMappingConfig(encoded, Endpoint{}, nil)
	if len(errs) > 0 {
		t.Fatalf("marshaled valid config does not parse: %v", errs)
	}
	if errs := again.Validate(); len(errs) > 0 {
		t.Fatalf("marshaled valid config does not validate: %v", errs)
	}
}
