package store_test

import (
	"context"
	"testing"

	"ehrbridge/app/store"
)

func TestListAuditFilters(t *testing.T) {
	t.Parallel()
	st := openMigrated(t)
	ctx := context.Background()
	events := []store.AuditEvent{
		{Actor: "user:ada", Action: "user.create", Target: "bob"},
		{Actor: "user:ada", Action: "api_key.create", Target: "0123456789ab"},
		{Actor: "user:bob", Action: "auth.login", Target: "bob"},
		{Actor: "user:adam", Action: "auth.login", Target: "adam"},
	}
	for _, event := range events {
		if err := st.Audit(ctx, event); err != nil {
			t.Fatalf("Audit(%s): %v", event.Action, err)
		}
	}

	cases := []struct {
		name    string
		filter  store.AuditFilter
		targets []string
	}{
		{"everything, newest first", store.AuditFilter{}, []string{"adam", "bob", "0123456789ab", "bob"}},
		{"actor matches exactly", store.AuditFilter{Actor: "user:ada"}, []string{"0123456789ab", "bob"}},
		{"target", store.AuditFilter{Target: "bob"}, []string{"bob", "bob"}},
		{"actor and target", store.AuditFilter{Actor: "user:bob", Target: "bob"}, []string{"bob"}},
		{"action and actor", store.AuditFilter{Action: "auth.login", Actor: "user:adam"}, []string{"adam"}},
		{"no match", store.AuditFilter{Actor: "user:ad"}, nil},
	}
	for _, tc := range cases {
		tc.filter.Limit = 10
		entries, more, err := st.ListAudit(ctx, tc.filter)
		if err != nil {
			t.Fatalf("%s: ListAudit: %v", tc.name, err)
		}
		var targets []string
		for _, entry := range entries {
			targets = append(targets, entry.Target)
		}
		if len(targets) != len(tc.targets) {
			t.Errorf("%s: targets %v, want %v", tc.name, targets, tc.targets)
			continue
		}
		for i := range targets {
			if targets[i] != tc.targets[i] {
				t.Errorf("%s: targets %v, want %v", tc.name, targets, tc.targets)
				break
			}
		}
		if more {
			t.Errorf("%s: more entries reported after all fit", tc.name)
		}
	}

	first, more, err := st.ListAudit(ctx, store.AuditFilter{Actor: "user:ada", Limit: 1})
	if err != nil || len(first) != 1 || !more {
		t.Fatalf("first page of user:ada: %d entries, more %v (%v); want 1 and more", len(first), more, err)
	}
	rest, more, err := st.ListAudit(ctx, store.AuditFilter{Actor: "user:ada", Before: first[0].ID, Limit: 1})
	if err != nil || len(rest) != 1 || rest[0].Target != "bob" || more {
		t.Errorf("second page of user:ada: %+v, more %v (%v); want the user.create of bob and no more", rest, more, err)
	}
}
