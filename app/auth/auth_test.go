package auth

import "testing"

func TestRolePermissions(t *testing.T) {
	cases := map[string]map[Permission]bool{
		RoleViewer:   {SignedIn: true, Read: true, Send: false, Reveal: false, Admin: false},
		RoleOperator: {SignedIn: true, Read: true, Send: true, Reveal: true, Admin: false},
		RoleAdmin:    {SignedIn: true, Read: true, Send: true, Reveal: true, Admin: true},
	}
	for role, permissions := range cases {
		user := Principal{Kind: User, Name: "u", Role: role}
		for perm, want := range permissions {
			if got := user.Allows(perm); got != want {
				t.Errorf("%s allows %s: %v, want %v", role, perm, got, want)
			}
		}
	}
}

func TestScopePermissions(t *testing.T) {
	cases := map[string]map[Permission]bool{
		ScopeSend:  {Read: false, Send: true, Reveal: false, Admin: false},
		ScopeRead:  {Read: true, Send: false, Reveal: false, Admin: false},
		ScopeAdmin: {Read: true, Send: true, Reveal: true, Admin: true},
	}
	for scope, permissions := range cases {
		key := Principal{Kind: APIKey, Name: "k", Scopes: []string{scope}}
		for perm, want := range permissions {
			if got := key.Allows(perm); got != want {
				t.Errorf("%s key allows %s: %v, want %v", scope, perm, got, want)
			}
		}
	}
}

func TestAnonymousGetsOnlyPublic(t *testing.T) {
	anonymous := Principal{Kind: Anonymous}
	for _, perm := range []Permission{SignedIn, Read, Send, Reveal, Admin} {
		if anonymous.Allows(perm) {
			t.Errorf("anonymous allowed %s", perm)
		}
	}
	if !anonymous.Allows(Public) {
		t.Error("anonymous denied a public route")
	}
}

func TestParseScopesOrdersAndRejects(t *testing.T) {
	scopes, err := ParseScopes(" admin,SEND,send ")
	if err != nil || len(scopes) != 2 || scopes[0] != ScopeSend || scopes[1] != ScopeAdmin {
		t.Fatalf("ParseScopes: %v %v", scopes, err)
	}
	for _, raw := range []string{"", ",", "root", "send,write"} {
		if _, err := ParseScopes(raw); err == nil {
			t.Errorf("ParseScopes(%q) accepted", raw)
		}
	}
}

func TestAPIKeyFormat(t *testing.T) {
	key, keyID, hash, err := NewAPIKey()
	if err != nil {
		t.Fatal(err)
	}
	parsed, ok := ParseAPIKey(key)
	if !ok || parsed != keyID || len(hash) != 32 {
		t.Fatalf("ParseAPIKey(%q) = %q, %v", key, parsed, ok)
	}
	if _, ok := ParseAPIKey(key + "x"); ok {
		t.Error("a key with an extra character parses")
	}
}
