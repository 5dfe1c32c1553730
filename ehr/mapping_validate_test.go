package ehr

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// validateTestConfig returns a valid two-endpoint config to break in tests.
func validateTestConfig() Config {
	return Config{Endpoints: []Endpoint{
		{
			Name: "patient_demographics", Method: "POST", Path: "/v1/{practiceId}/patients",
			Encoding: EncodingForm, IdentifiesPatient: true, PatientIDPath: "0.patientid",
			Fields: []FieldRule{
				{Source: "firstName", Target: "PATIENT_FIRST_NAME"},
				{Source: "dateOfBirth", Target: "DOB", Transform: &Transform{Type: TransformDateFormat, Format: "MM/DD/YYYY"}},
			},
		},
		{
			Name: "medical_history", Path: "/v1/{practiceId}/chart/{patientId}/medicalhistory",
			Fields: []FieldRule{
				{Source: "allergies", Target: "ALLERGIES", Transform: &Transform{Type: TransformJoin, Separator: "; "}},
			},
		},
	}}
}

func TestValidateAcceptsValidConfigs(t *testing.T) {
	t.Parallel()

	configs := map[string]Config{
		"base":                           validateTestConfig(),
		"athena":                         mustParseValidMapping(t, athenaTestMapping),
		"allscripts":                     mustParseValidMapping(t, allscriptsTestMapping),
		"lower-case method":              {Endpoints: []Endpoint{{Name: "a", Method: "put", Path: "/a", Fields: []FieldRule{{Source: "age", Target: "AGE"}}}}},
		"no identity without patient id": {Endpoints: []Endpoint{{Name: "a", Path: "/v1/{practiceId}/x", Fields: []FieldRule{{Source: "age", Target: "AGE"}}}}},
		"target characters":              {Endpoints: []Endpoint{{Name: "a", Action: "Save", Fields: []FieldRule{{Source: "age", Target: "patient.items[0].AGE-x_1"}}}}},
		"answer join":                    {Endpoints: []Endpoint{{Name: "a", Action: "Save", Fields: []FieldRule{{Source: "p_answers.pets", Target: "PETS", Transform: &Transform{Type: TransformJoin}}}}}},
	}
	for name, cfg := range configs {
		if errs := cfg.Validate(); errs != nil {
			t.Errorf("%s: Validate = %v, want nil", name, errs)
		}
	}
}

func TestValidateErrors(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name   string
		mutate func(c *Config)
		want   FieldErrors
	}{
		{name: "no endpoints", mutate: func(c *Config) { c.Endpoints = nil }, want: FieldErrors{{Field: "endpoints", Code: "mapping_no_endpoints"}}},
		{name: "name required", mutate: func(c *Config) { c.Endpoints[1].Name = "" }, want: FieldErrors{{Field: "endpoints[1].name", Code: "endpoint_name_required"}}},
		{name: "name upper case", mutate: func(c *Config) { c.Endpoints[1].Name = "Medical" }, want: FieldErrors{{Field: "endpoints[1].name", Code: "endpoint_name_invalid"}}},
		{name: "name starts with digit", mutate: func(c *Config) { c.Endpoints[1].Name = "1history" }, want: FieldErrors{{Field: "endpoints[1].name", Code: "endpoint_name_invalid"}}},
		{name: "name too long", mutate: func(c *Config) { c.Endpoints[1].Name = "a" + strings.Repeat("b", 64) }, want: FieldErrors{{Field: "endpoints[1].name", Code: "endpoint_name_invalid"}}},
		{name: "name duplicate", mutate: func(c *Config) { c.Endpoints[1].Name = "patient_demographics" }, want: FieldErrors{{Field: "endpoints[1].name", Code: "endpoint_name_duplicate"}}},
		{name: "no fields", mutate: func(c *Config) { c.Endpoints[1].Fields = nil }, want: FieldErrors{{Field: "endpoints[1].fields", Code: "endpoint_no_fields"}}},
		{name: "method get", mutate: func(c *Config) { c.Endpoints[1].Method = "GET" }, want: FieldErrors{{Field: "endpoints[1].method", Code: "endpoint_method_invalid"}}},
		{name: "method delete", mutate: func(c *Config) { c.Endpoints[1].Method = "delete" }, want: FieldErrors{{Field: "endpoints[1].method", Code: "endpoint_method_invalid"}}},
		{name: "no path or action", mutate: func(c *Config) { c.Endpoints[1].Path = "" }, want: FieldErrors{{Field: "endpoints[1].path", Code: "endpoint_target_required"}}},
		{name: "relative path", mutate: func(c *Config) { c.Endpoints[1].Path = "v1/x" }, want: FieldErrors{{Field: "endpoints[1].path", Code: "endpoint_path_invalid"}}},
		{name: "path with dot dot", mutate: func(c *Config) { c.Endpoints[1].Path = "/v1/../x" }, want: FieldErrors{{Field: "endpoints[1].path", Code: "endpoint_path_invalid"}}},
		{name: "path with query", mutate: func(c *Config) { c.Endpoints[1].Path = "/v1/x?y=1" }, want: FieldErrors{{Field: "endpoints[1].path", Code: "endpoint_path_invalid"}}},
		{name: "path unknown placeholder", mutate: func(c *Config) { c.Endpoints[1].Path = "/v1/{mrn}" }, want: FieldErrors{{Field: "endpoints[1].path", Code: "endpoint_path_invalid"}}},
		{name: "path unbalanced", mutate: func(c *Config) { c.Endpoints[1].Path = "/v1/{practiceId/x" }, want: FieldErrors{{Field: "endpoints[1].path", Code: "endpoint_path_invalid"}}},
		{name: "encoding xml", mutate: func(c *Config) { c.Endpoints[1].Encoding = "xml" }, want: FieldErrors{{Field: "endpoints[1].encoding", Code: "endpoint_encoding_invalid"}}},
		{name: "two identity endpoints", mutate: func(c *Config) {
			c.Endpoints[1].IdentifiesPatient = true
			c.Endpoints[1].Path = "/v1/{practiceId}/other"
		}, want: FieldErrors{{Field: "endpoints[1].identifiesPatient", Code: "identity_endpoint_multiple"}}},
		{name: "identity needs patient id", mutate: func(c *Config) { c.Endpoints[0].Path = "/v1/{practiceId}/patients/{patientId}" }, want: FieldErrors{
			{Field: "endpoints[0].path", Code: "identity_endpoint_uses_patient_id"},
		}},
		{name: "patient id unavailable", mutate: func(c *Config) { c.Endpoints[0].IdentifiesPatient = false }, want: FieldErrors{
			{Field: "endpoints[1].path", Code: "patient_id_unavailable"},
		}},
		{name: "patient id path empty segment", mutate: func(c *Config) { c.Endpoints[0].PatientIDPath = "0..patientid" }, want: FieldErrors{
			{Field: "endpoints[0].patientIdPath", Code: "patient_id_path_invalid"},
		}},
		{name: "patient id path trailing dot", mutate: func(c *Config) { c.Endpoints[0].PatientIDPath = "patientid." }, want: FieldErrors{
			{Field: "endpoints[0].patientIdPath", Code: "patient_id_path_invalid"},
		}},
		{name: "source required", mutate: func(c *Config) { c.Endpoints[0].Fields[0].Source = "" }, want: FieldErrors{{Field: "endpoints[0].fields[0].source", Code: "source_required"}}},
		{name: "source unknown", mutate: func(c *Config) { c.Endpoints[0].Fields[0].Source = "shoeSize" }, want: FieldErrors{{Field: "endpoints[0].fields[0].source", Code: "source_unknown"}}},
		{name: "answer key invalid", mutate: func(c *Config) { c.Endpoints[0].Fields[0].Source = "answers.-x" }, want: FieldErrors{{Field: "endpoints[0].fields[0].source", Code: "source_unknown"}}},
		{name: "target required", mutate: func(c *Config) { c.Endpoints[0].Fields[0].Target = "" }, want: FieldErrors{{Field: "endpoints[0].fields[0].target", Code: "target_required"}}},
		{name: "target with space", mutate: func(c *Config) { c.Endpoints[0].Fields[0].Target = "FIRST NAME" }, want: FieldErrors{{Field: "endpoints[0].fields[0].target", Code: "target_invalid"}}},
		{name: "target too long", mutate: func(c *Config) { c.Endpoints[0].Fields[0].Target = strings.Repeat("A", 129) }, want: FieldErrors{{Field: "endpoints[0].fields[0].target", Code: "target_invalid"}}},
		{name: "target duplicate", mutate: func(c *Config) { c.Endpoints[0].Fields[1].Target = "PATIENT_FIRST_NAME" }, want: FieldErrors{{Field: "endpoints[0].fields[1].target", Code: "target_duplicate"}}},
		{name: "transform unknown", mutate: func(c *Config) { c.Endpoints[1].Fields[0].Transform.Type = "split" }, want: FieldErrors{{Field: "endpoints[1].fields[0].transform.type", Code: "transform_unknown"}}},
		{name: "transform type missing", mutate: func(c *Config) { c.Endpoints[1].Fields[0].Transform.Type = "" }, want: FieldErrors{{Field: "endpoints[1].fields[0].transform.type", Code: "transform_unknown"}}},
		{name: "template empty", mutate: func(c *Config) {
			c.Endpoints[0].Fields[0].Transform = &Transform{Type: TransformTemplate}
		}, want: FieldErrors{{Field: "endpoints[0].fields[0].transform.template", Code: "template_invalid"}}},
		{name: "template unbalanced", mutate: func(c *Config) {
			c.Endpoints[0].Fields[0].Transform = &Transform{Type: TransformTemplate, Template: "{lastName}, {firstName"}
		}, want: FieldErrors{{Field: "endpoints[0].fields[0].transform.template", Code: "template_invalid"}}},
		{name: "template unknown placeholder", mutate: func(c *Config) {
			c.Endpoints[0].Fields[0].Transform = &Transform{Type: TransformTemplate, Template: "{title} {lastName}"}
		}, want: FieldErrors{{Field: "endpoints[0].fields[0].transform.template", Code: "template_invalid"}}},
		{name: "template empty placeholder", mutate: func(c *Config) {
			c.Endpoints[0].Fields[0].Transform = &Transform{Type: TransformTemplate, Template: "{} {lastName}"}
		}, want: FieldErrors{{Field: "endpoints[0].fields[0].transform.template", Code: "template_invalid"}}},
		{name: "value map empty", mutate: func(c *Config) {
			c.Endpoints[0].Fields[0].Transform = &Transform{Type: TransformValueMap}
		}, want: FieldErrors{{Field: "endpoints[0].fields[0].transform.values", Code: "value_map_empty"}}},
		{name: "value map keys collide", mutate: func(c *Config) {
			c.Endpoints[0].Fields[0].Transform = &Transform{Type: TransformValueMap, Values: map[string]string{"Male": "M", " male ": "X"}}
		}, want: FieldErrors{{Field: "endpoints[0].fields[0].transform.values", Code: "value_map_duplicate"}}},
		{name: "date format missing day", mutate: func(c *Config) { c.Endpoints[0].Fields[1].Transform.Format = "MM/YYYY" }, want: FieldErrors{
			{Field: "endpoints[0].fields[1].transform.format", Code: "date_format_invalid"},
		}},
		{name: "date format bad separator", mutate: func(c *Config) { c.Endpoints[0].Fields[1].Transform.Format = "MM_DD_YYYY" }, want: FieldErrors{
			{Field: "endpoints[0].fields[1].transform.format", Code: "date_format_invalid"},
		}},
		{name: "date format on age", mutate: func(c *Config) { c.Endpoints[0].Fields[1].Source = "age" }, want: FieldErrors{
			{Field: "endpoints[0].fields[1].transform", Code: "date_format_source"},
		}},
		{name: "join on gender", mutate: func(c *Config) { c.Endpoints[1].Fields[0].Source = "p_gender" }, want: FieldErrors{
			{Field: "endpoints[1].fields[0].transform", Code: "join_source"},
		}},
		{name: "join on unknown source reports the source only", mutate: func(c *Config) { c.Endpoints[1].Fields[0].Source = "pets" }, want: FieldErrors{
			{Field: "endpoints[1].fields[0].source", Code: "source_unknown"},
		}},
		{name: "too many endpoints", mutate: func(c *Config) {
			c.Endpoints = c.Endpoints[:1]
			for i := range MaxMappingEndpoints {
				c.Endpoints = append(c.Endpoints, Endpoint{Name: fmt.Sprintf("extra_%d", i), Action: "Save", Fields: []FieldRule{{Source: "age", Target: "AGE"}}})
			}
		}, want: FieldErrors{{Field: "endpoints", Code: "too_many_items", Args: []any{MaxMappingEndpoints}}}},
		{name: "too many rules", mutate: func(c *Config) {
			c.Endpoints[1].Fields = nil
			for i := range MaxEndpointRules + 1 {
				c.Endpoints[1].Fields = append(c.Endpoints[1].Fields, FieldRule{Source: "age", Target: fmt.Sprintf("AGE_%d", i)})
			}
		}, want: FieldErrors{{Field: "endpoints[1].fields", Code: "too_many_items", Args: []any{MaxEndpointRules}}}},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := validateTestConfig()
			tc.mutate(&cfg)
			if got := cfg.Validate(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s: Validate =\n%v\nwant\n%v", tc.name, got, tc.want)
			}
		})
	}
}

func TestValidateReportsEveryError(t *testing.T) {
	t.Parallel()

	cfg := Config{Endpoints: []Endpoint{
		{Name: "Bad Name", Method: "GET", Encoding: "xml", Fields: []FieldRule{
			{Source: "", Target: "A"},
			{Source: "gender", Target: "A", Transform: &Transform{Type: TransformDateFormat, Format: "YY"}},
		}},
		{Name: "notes", Path: "/chart/{patientId}/notes"},
	}}
	want := FieldErrors{
		{Field: "endpoints[0].name", Code: "endpoint_name_invalid"},
		{Field: "endpoints[0].method", Code: "endpoint_method_invalid"},
		{Field: "endpoints[0].path", Code: "endpoint_target_required"},
		{Field: "endpoints[0].encoding", Code: "endpoint_encoding_invalid"},
		{Field: "endpoints[0].fields[0].source", Code: "source_required"},
		{Field: "endpoints[0].fields[1].target", Code: "target_duplicate"},
		{Field: "endpoints[0].fields[1].transform.format", Code: "date_format_invalid"},
		{Field: "endpoints[0].fields[1].transform", Code: "date_format_source"},
		{Field: "endpoints[1].path", Code: "patient_id_unavailable"},
		{Field: "endpoints[1].fields", Code: "endpoint_no_fields"},
	}
	if got := cfg.Validate(); !reflect.DeepEqual(got, want) {
		t.Errorf("Validate =\n%v\nwant\n%v", got, want)
	}
}

func TestNormalizeFillsDefaults(t *testing.T) {
	t.Parallel()

	cfg := Config{Endpoints: []Endpoint{{Name: "a"}, {Name: "b", Method: "patch", Encoding: EncodingForm}}}
	cfg.Normalize()

	if cfg.Endpoints[0].Method != "POST" || cfg.Endpoints[0].Encoding != EncodingJSON {
		t.Errorf("empty endpoint normalized to %q %q, want POST json", cfg.Endpoints[0].Method, cfg.Endpoints[0].Encoding)
	}
	if cfg.Endpoints[1].Method != "PATCH" || cfg.Endpoints[1].Encoding != EncodingForm {
		t.Errorf("patch form endpoint normalized to %q %q, want PATCH form", cfg.Endpoints[1].Method, cfg.Endpoints[1].Encoding)
	}
}

// TestMappingErrorCodesAllTriggered parses and validates inputs that
// together break every rule, and checks that the codes reported are exactly
// the codes MappingErrorCodes lists.
func TestMappingErrorCodesAllTriggered(t *testing.T) {
	t.Parallel()

	inputs := []string{
		``, `[]`, `{"endpoints": [}`, `{"endpoints": 1}`,
		`{"endpoints": [], "x": 1}`,
		`{"endpoints": [{"name": 1, "identifiesPatient": 1, "fields": [{"transform": 2}]}]}`,
		`{"labs": {}}`,
		`{"endpoints": []}`,
		`{"endpoints": [{"name": "", "fields": []}, {"name": "Bad", "path": "x", "method": "GET", "encoding": "xml",
			"patientIdPath": ".", "fields": [{"source": "", "target": ""}, {"source": "colour", "target": "a b"}]}]}`,
		`{"endpoints": [
			{"name": "a", "path": "/{patientId}", "identifiesPatient": true, "fields": [{"source": "age", "target": "A"}, {"source": "age", "target": "A"}]},
			{"name": "a", "action": "Save", "identifiesPatient": true, "fields": [
				{"source": "age", "target": "B", "transform": {"type": "x"}},
				{"source": "age", "target": "C", "transform": {"type": "template", "template": "{x"}},
				{"source": "age", "target": "D", "transform": {"type": "valueMap"}},
				{"source": "age", "target": "E", "transform": {"type": "valueMap", "values": {"a": "1", "A": "2"}}},
				{"source": "age", "target": "F", "transform": {"type": "dateFormat", "format": "x"}},
				{"source": "age", "target": "G", "transform": {"type": "join"}}]}]}`,
		`{"endpoints": [{"name": "b", "path": "/{patientId}", "fields": [{"source": "age", "target": "A"}]}]}`,
		`{"endpoints": [` + strings.TrimSuffix(strings.Repeat(`{"name": "x", "action": "A", "fields": [{"source": "age", "target": "A"}]},`, 51), ",") + `]}`,
	}

	seen := map[string]bool{}
	for _, input := range inputs {
		cfg, errs := ParseMappingConfig(json.RawMessage(input), parseTestPatientEndpoint, nil)
		if len(errs) == 0 {
			errs = cfg.Validate()
		}
		for _, fe := range errs {
			seen[fe.Code] = true
		}
	}

	codes := MappingErrorCodes()
	for _, code := range codes {
		if !seen[code] {
			t.Errorf("code %q is listed but no input triggered it", code)
		}
	}
	for code := range seen {
		if !slices.Contains(codes, code) {
			t.Errorf("code %q was reported but MappingErrorCodes does not list it", code)
		}
	}
}
