package ehr

import (
	"errors"
	"strings"
	"testing"
)

func TestExpandPath(t *testing.T) {
	t.Parallel()

	both := map[string]string{PathPlaceholderPracticeID: "195900", PathPlaceholderPatientID: "E-1001"}
	cases := []struct {
		name     string
		template string
		values   map[string]string
		want     string
		wantErr  error
	}{
		{name: "both placeholders", template: "/v1/{practiceId}/chart/{patientId}/medicalhistory", values: both, want: "/v1/195900/chart/E-1001/medicalhistory"},
		{name: "no placeholders", template: "/patients", values: nil, want: "/patients"},
		{name: "unused value", template: "/v1/{practiceId}/patients", values: both, want: "/v1/195900/patients"},
		{name: "escaped slash", template: "/p/{patientId}", values: map[string]string{PathPlaceholderPatientID: "a/b"}, want: "/p/a%2Fb"},
		{name: "escaped space and question mark", template: "/p/{patientId}", values: map[string]string{PathPlaceholderPatientID: "a b?c"}, want: "/p/a%20b%3Fc"},
		{name: "repeated placeholder", template: "/{practiceId}/{practiceId}", values: both, want: "/195900/195900"},
		{name: "missing value", template: "/p/{patientId}", values: map[string]string{}, wantErr: ErrPathValueMissing},
		{name: "nil values", template: "/v1/{practiceId}", values: nil, wantErr: ErrPathValueMissing},
		{name: "blank value", template: "/p/{patientId}", values: map[string]string{PathPlaceholderPatientID: "  "}, wantErr: ErrPathValueMissing},
		{name: "dot dot value", template: "/p/{patientId}/x", values: map[string]string{PathPlaceholderPatientID: ".."}, wantErr: ErrPathValueInvalid},
		{name: "dot value", template: "/p/{patientId}/x", values: map[string]string{PathPlaceholderPatientID: "."}, wantErr: ErrPathValueInvalid},
		{name: "unknown placeholder", template: "/p/{mrn}", values: map[string]string{"mrn": "1"}, wantErr: ErrPathTemplateInvalid},
		{name: "unbalanced brace", template: "/p/{patientId", values: both, wantErr: ErrPathTemplateInvalid},
		{name: "stray closing brace", template: "/p/patientId}", values: both, wantErr: ErrPathTemplateInvalid},
		{name: "empty placeholder", template: "/p/{}", values: both, wantErr: ErrPathTemplateInvalid},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ExpandPath(tc.template, tc.values)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Errorf("%s: ExpandPath error = %v, want %v", tc.name, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: ExpandPath error = %v", tc.name, err)
			}
			if got != tc.want {
				t.Errorf("%s: ExpandPath = %q, want %q", tc.name, got, tc.want)
			}
		})
	}
}

func TestExpandPathErrorNamesPlaceholderOnly(t *testing.T) {
	t.Parallel()

	_, err := ExpandPath("/p/{patientId}/x", map[string]string{PathPlaceholderPatientID: ".."})
	if err == nil {
		t.Fatal("ExpandPath with value \"..\" returned no error")
	}
	if !strings.Contains(err.Error(), "{patientId}") {
		t.Errorf("error %q does not name the placeholder", err)
	}
	if strings.Contains(err.Error(), "/x") {
		t.Errorf("error %q repeats the path", err)
	}

	_, err = ExpandPath("/v1/{practiceId}", map[string]string{})
	if err == nil || !strings.Contains(err.Error(), "{practiceId}") {
		t.Errorf("missing practice id error = %v, want one naming {practiceId}", err)
	}
}

func TestPathNeedsPatientID(t *testing.T) {
	t.Parallel()

	cases := map[string]bool{
		"/v1/{practiceId}/chart/{patientId}/medicalhistory": true,
		"/v1/{practiceId}/patients":                         false,
		"":                                                  false,
		"/p/{patientid}":                                    false,
	}
	for template, want := range cases {
		if got := PathNeedsPatientID(template); got != want {
			t.Errorf("PathNeedsPatientID(%q) = %v, want %v", template, got, want)
		}
	}
}

func TestIsValidEndpointPath(t *testing.T) {
	t.Parallel()

	cases := map[string]bool{
		"/v1/{practiceId}/patients":                         true,
		"/v1/{practiceId}/chart/{patientId}/medicalhistory": true,
		"/patients":                    true,
		"/":                            true,
		"/fhir/Patient/$validate":      true,
		"":                             false,
		"patients":                     false,
		"https://ehr.example/patients": false,
		"//ehr.example/patients":       false,
		"/v1/../admin":                 false,
		"/v1/%2E%2E/admin":             false,
		"/patients?x=1":                false,
		"/patients#top":                false,
		"/patients\\admin":             false,
		"/pat ients":                   false,
		"/patients\n":                  false,
		"/v1/{practiceId":              false,
		"/v1/practiceId}":              false,
		"/v1/{}":                       false,
		"/v1/{mrn}":                    false,
		"/v1/{{practiceId}}":           false,
	}
	for path, want := range cases {
		if got := isValidEndpointPath(path); got != want {
			t.Errorf("isValidEndpointPath(%q) = %v, want %v", path, got, want)
		}
	}
}
