package cache

import "testing"

func TestIsEntryKey(t *testing.T) {
	t.Parallel()
	cases := []struct {
		key  string
		want bool
	}{
		{"p:mapping:athena:current", true},
		{"p:mapping:athena:v12", true},
		{"p:mapping:ack:current", true}, // the pointer of an EHR named "ack"
		{"p:mapping:generation", false},
		{"p:mapping:ack:5f0c9a54-6a43-4a53-9d4b-0c3c7f0f4b11", false},
		{"p:mapping:athena:v", false},
		{"p:mapping:athena:vx", false},
	}
	for _, tc := range cases {
		if got := isEntryKey(tc.key); got != tc.want {
			t.Errorf("isEntryKey(%q) = %v, want %v", tc.key, got, tc.want)
		}
	}
}

func TestEntryPatternEscapesPrefix(t *testing.T) {
	t.Parallel()
	cases := []struct{ prefix, want string }{
		{"ehrbridge:", "ehrbridge:mapping:*"},
		{"a*b?[c]\\:", `a\*b\?\[c\]\\:mapping:*`},
	}
	for _, tc := range cases {
		if got := (keySpace{prefix: tc.prefix}).entryPattern(); got != tc.want {
			t.Errorf("entryPattern for prefix %q = %q, want %q", tc.prefix, got, tc.want)
		}
	}
}
