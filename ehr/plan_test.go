package ehr

import (
	"reflect"
	"slices"
	"testing"
)

// planTestConfig has the identity endpoint in the middle, so ordering by
// identity first is visible.
func planTestConfig() Config {
	return Config{Endpoints: []Endpoint{
		{Name: "medical_history", Method: "POST", Path: "/v1/{practiceId}/chart/{patientId}/medicalhistory",
			Fields: []FieldRule{{Source: "allergies", Target: "ALLERGIES"}}},
		{Name: "patient_demographics", Method: "POST", Path: "/v1/{practiceId}/patients", IdentifiesPatient: true,
			Fields: []FieldRule{{Source: "firstName", Target: "FIRST"}, {Source: "lastName", Target: "LAST"}}},
		{Name: "insurance_info", Method: "POST", Path: "/v1/{practiceId}/patients/{patientId}/insurances",
			Fields: []FieldRule{{Source: "insuranceProvider", Target: "PROVIDER"}}},
		{Name: "appointment_note", Method: "POST", Path: "/v1/{practiceId}/notes",
			Fields: []FieldRule{{Source: "answers.reason", Target: "REASON"}}},
	}}
}

// plannedNames lists a plan's endpoint names in order.
func plannedNames(plan Plan) []string {
	names := make([]string, len(plan.Endpoints))
	for i, planned := range plan.Endpoints {
		names[i] = planned.Endpoint.Name
	}

	return names
}

func TestPlanDelivery(t *testing.T) {
	t.Parallel()

	withPatientID := func(p *Patient) { p.Identifiers.EHRPatientID = "E-1001" }
	cases := []struct {
		name          string
		patient       func(p *Patient)
		targets       []string
		wantNames     []string
		wantIdentity  int
		wantDependent []bool
	}{
		{
			name: "every endpoint with values, identity first", targets: nil,
			wantNames:     []string{"patient_demographics", "medical_history", "insurance_info"},
			wantIdentity:  0,
			wantDependent: []bool{false, true, true},
		},
		{
			name:          "answer adds an endpoint",
			patient:       func(p *Patient) { p.Answers = map[string]any{"reason": "Follow-up"} },
			wantNames:     []string{"patient_demographics", "medical_history", "insurance_info", "appointment_note"},
			wantIdentity:  0,
			wantDependent: []bool{false, true, true, true},
		},
		{
			name:          "endpoint without values left out",
			patient:       func(p *Patient) { p.InsuranceProvider = "" },
			wantNames:     []string{"patient_demographics", "medical_history"},
			wantIdentity:  0,
			wantDependent: []bool{false, true},
		},
		{
			name: "targets in config order", targets: []string{"insurance_info", "patient_demographics"},
			wantNames:     []string{"patient_demographics", "insurance_info"},
			wantIdentity:  0,
			wantDependent: []bool{false, true},
		},
		{
			name: "targeted endpoint without values", targets: []string{"appointment_note"},
			wantNames:     []string{"appointment_note"},
			wantIdentity:  -1,
			wantDependent: []bool{false},
		},
		{
			name: "known patient id without identity", patient: withPatientID, targets: []string{"insurance_info", "medical_history"},
			wantNames:     []string{"medical_history", "insurance_info"},
			wantIdentity:  -1,
			wantDependent: []bool{false, false},
		},
		{
			name: "identity only", targets: []string{"patient_demographics"},
			wantNames:     []string{"patient_demographics"},
			wantIdentity:  0,
			wantDependent: []bool{false},
		},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			patient := mappingTestPatient()
			if tc.patient != nil {
				tc.patient(patient)
			}

			plan, errs := PlanDelivery(planTestConfig(), patient, tc.targets)
			if errs != nil {
				t.Fatalf("%s: PlanDelivery errors: %v", tc.name, errs)
			}
			if got := plannedNames(plan); !slices.Equal(got, tc.wantNames) {
				t.Errorf("%s: planned %v, want %v", tc.name, got, tc.wantNames)
			}
			if plan.IdentityIndex != tc.wantIdentity {
				t.Errorf("%s: IdentityIndex = %d, want %d", tc.name, plan.IdentityIndex, tc.wantIdentity)
			}
			for i, planned := range plan.Endpoints {
				if planned.Position != i {
					t.Errorf("%s: endpoint %d Position = %d", tc.name, i, planned.Position)
				}
				if i < len(tc.wantDependent) && planned.DependsOnIdentity != tc.wantDependent[i] {
					t.Errorf("%s: endpoint %s DependsOnIdentity = %v, want %v", tc.name, planned.Endpoint.Name, planned.DependsOnIdentity, tc.wantDependent[i])
				}
			}
		})
	}
}

func TestPlanDeliveryErrors(t *testing.T) {
	t.Parallel()

	cases := []struct {
		name    string
		cfg     Config
		patient *Patient
		targets []string
		want    FieldErrors
	}{
		{
			name: "unknown and duplicate targets", cfg: planTestConfig(), patient: mappingTestPatient(),
			targets: []string{"medical_history", "labs", "medical_history", "Medical_History"},
			want: FieldErrors{
				{Field: "targetEndpoints[1]", Code: "unknown_endpoint"},
				{Field: "targetEndpoints[2]", Code: "duplicate_item"},
				{Field: "targetEndpoints[3]", Code: "unknown_endpoint"},
			},
		},
		{
			name: "patient id required for targeted chart", cfg: planTestConfig(), patient: mappingTestPatient(),
			targets: []string{"medical_history"},
			want:    FieldErrors{{Field: "targetEndpoints", Code: "patient_id_required"}},
		},
		{
			name: "blank patient id does not count", cfg: planTestConfig(),
			patient: &Patient{Allergies: []string{"Penicillin"}, Identifiers: Identifiers{EHRPatientID: "  "}},
			want:    FieldErrors{{Field: "targetEndpoints", Code: "patient_id_required"}},
		},
		{
			name: "identity without values not planned", cfg: planTestConfig(),
			patient: &Patient{Allergies: []string{"Penicillin"}},
			want:    FieldErrors{{Field: "targetEndpoints", Code: "patient_id_required"}},
		},
		{
			name: "action endpoint needs the identity's patient id", cfg: mustParseValidMapping(t, allscriptsTestMapping),
			patient: mappingTestPatient(), targets: []string{"medical_history"},
			want: FieldErrors{{Field: "targetEndpoints", Code: "patient_id_required"}},
		},
		{
			name: "nothing to send", cfg: planTestConfig(), patient: &Patient{},
			want: FieldErrors{{Field: "patientData", Code: "nothing_to_send"}},
		},
		{
			name: "nil patient", cfg: planTestConfig(), patient: nil,
			want: FieldErrors{{Field: "patientData", Code: "nothing_to_send"}},
		},
		{
			name: "empty config", cfg: Config{}, patient: mappingTestPatient(),
			want: FieldErrors{{Field: "patientData", Code: "nothing_to_send"}},
		},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			plan, errs := PlanDelivery(tc.cfg, tc.patient, tc.targets)
			if !reflect.DeepEqual(errs, tc.want) {
				t.Errorf("%s: errors = %v, want %v", tc.name, errs, tc.want)
			}
			if len(plan.Endpoints) != 0 || plan.IdentityIndex != -1 {
				t.Errorf("%s: plan = %+v, want empty with IdentityIndex -1", tc.name, plan)
			}
		})
	}
}

func TestPlanDeliveryPatientIDFromIdentifiers(t *testing.T) {
	t.Parallel()

	patient := &Patient{Allergies: []string{"Penicillin"}, Identifiers: Identifiers{EHRPatientID: "E-1001"}}
	plan, errs := PlanDelivery(planTestConfig(), patient, nil)
	if errs != nil {
		t.Fatalf("PlanDelivery errors: %v", errs)
	}
	if got := plannedNames(plan); !slices.Equal(got, []string{"medical_history"}) {
		t.Errorf("planned %v, want [medical_history]", got)
	}
}

func TestPlanDeliveryActionEndpointWithPatientID(t *testing.T) {
	t.Parallel()

	patient := mappingTestPatient()
	patient.Identifiers.EHRPatientID = "E-1001"
	plan, errs := PlanDelivery(mustParseValidMapping(t, allscriptsTestMapping), patient, []string{"medical_history"})
	if errs != nil {
		t.Fatalf("PlanDelivery errors: %v", errs)
	}
	if got := plannedNames(plan); !slices.Equal(got, []string{"medical_history"}) {
		t.Errorf("planned %v, want [medical_history]", got)
	}
}

func TestPlanErrorCodesListed(t *testing.T) {
	t.Parallel()

	want := []string{"unknown_endpoint", "duplicate_item", "patient_id_required", "nothing_to_send"}
	if got := PlanErrorCodes(); !slices.Equal(got, want) {
		t.Errorf("PlanErrorCodes = %v, want %v", got, want)
	}
}
