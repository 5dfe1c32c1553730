package app

import (
	"testing"

	"ehrbridge/ehr"
	"ehrbridge/views"
)

func TestDiffMappings(t *testing.T) {
	t.Parallel()
	upper := &ehr.Transform{Type: ehr.TransformValueMap, Values: map[string]string{"male": "M", "female": "F"}}
	from := ehr.Config{Endpoints: []ehr.Endpoint{
		{Name: "patient", Method: "POST", Path: "/patients", IdentifiesPatient: true, Fields: []ehr.FieldRule{
			{Source: "firstName", Target: "FIRST"},
			{Source: "lastName", Target: "LAST"},
			{Source: "gender", Target: "SEX"},
		}},
		{Name: "history", Method: "POST", Path: "/history", Fields: []ehr.FieldRule{{Source: "medicalHistory", Target: "HX"}}},
		{Name: "old_notes", Method: "POST", Path: "/notes", Fields: []ehr.FieldRule{{Source: "symptoms", Target: "NOTES"}}},
	}}
	to := ehr.Config{Endpoints: []ehr.Endpoint{
		{Name: "patient", Method: "PUT", Path: "/patients", IdentifiesPatient: true, Fields: []ehr.FieldRule{
			{Source: "lastName", Target: "LAST"},
			{Source: "firstName", Target: "FIRST"},
			{Source: "gender", Target: "SEX", Transform: upper},
			{Source: "age", Target: "AGE"},
		}},
		{Name: "history", Method: "POST", Path: "/history", Fields: []ehr.FieldRule{{Source: "medicalHistory", Target: "HX"}}},
		{Name: "insurance", Method: "POST", Path: "/insurance", Fields: []ehr.FieldRule{{Source: "insuranceProvider", Target: "PAYER"}}},
	}}

	diff := diffMappings(from, to)
	if len(diff) != 4 {
		t.Fatalf("diff has %d endpoints, want 4", len(diff))
	}
	byName := map[string]views.MappingEndpointDiff{}
	for _, endpoint := range diff {
		byName[endpoint.Name] = endpoint
	}
	wantChanges := map[string]string{
		"patient": views.DiffChanged, "history": views.DiffSame, "insurance": views.DiffAdded, "old_notes": views.DiffRemoved,
	}
	for name, want := range wantChanges {
		if got := byName[name].Change; got != want {
			t.Errorf("endpoint %s: change %q, want %q", name, got, want)
		}
	}
	if names := [4]string{diff[0].Name, diff[1].Name, diff[2].Name, diff[3].Name}; names != [4]string{"patient", "history", "insurance", "old_notes"} {
		t.Errorf("endpoint order %v, want the newer version's order, then removed endpoints", names)
	}
	if rows := byName["history"].Rows; len(rows) != 0 {
		t.Errorf("unchanged endpoint has %d rows, want none", len(rows))
	}

	rows := map[string]views.MappingDiffRow{}
	for _, row := range byName["patient"].Rows {
		rows[row.Label] = row
	}
	wantRows := []views.MappingDiffRow{
		{Label: "method", Change: views.DiffChanged, Old: "POST", New: "PUT"},
		{Label: "LAST", Change: views.DiffSame, Old: "lastName", New: "lastName"},
		{Label: "SEX", Change: views.DiffChanged, Old: "gender", New: "gender · valueMap: female=F, male=M"},
		{Label: "AGE", Change: views.DiffAdded, New: "age"},
		{Label: diffOrderLabel, Change: views.DiffChanged, Old: "FIRST, LAST, SEX", New: "LAST, FIRST, SEX"},
	}
	for _, want := range wantRows {
		if got := rows[want.Label]; got != want {
			t.Errorf("patient row %s: %+v, want %+v", want.Label, got, want)
		}
	}
	if _, hasPath := rows["path"]; hasPath {
		t.Errorf("patient: unchanged path listed as a row")
	}

	removed := byName["old_notes"].Rows
	if len(removed) == 0 || removed[len(removed)-1] != (views.MappingDiffRow{Label: "NOTES", Change: views.DiffRemoved, Old: "symptoms"}) {
		t.Errorf("removed endpoint rows %+v, want its rule as removed", removed)
	}
}
