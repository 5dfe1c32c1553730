package seal_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"ehrbridge/app/seal"
)

func newKey(t *testing.T) string {
	t.Helper()
	key, err := seal.GenerateKey(time.Now())
	if err != nil {
		t.Fatal(err)
	}

	return key
}

func renamed(key, id string) string {
	_, secret, _ := strings.Cut(key, ":")

	return id + ":" + secret
}

func TestSealOpensWithSameRecord(t *testing.T) {
	ring, err := seal.ParseKeyring(newKey(t), "")
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte(`{"firstName":"Canary"}`)

	sealed, err := ring.Seal(plain, []byte("txn-1/payload"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("Canary")) {
		t.Fatalf("sealed value contains the plaintext")
	}
	opened, err := ring.Open(sealed, []byte("txn-1/payload"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(opened, plain) {
		t.Fatalf("opened %q, want %q", opened, plain)
	}
}

func TestSealRejectsOtherRecord(t *testing.T) {
	ring, _ := seal.ParseKeyring(newKey(t), "")
	sealed, _ := ring.Seal([]byte("x"), []byte("txn-1/payload"))

	_, err := ring.Open(sealed, []byte("txn-2/payload"))
	if !errors.Is(err, seal.ErrTampered) {
		t.Fatalf("open with other associated data: %v, want ErrTampered", err)
	}
}

func TestSealRejectsChangedByte(t *testing.T) {
	ring, _ := seal.ParseKeyring(newKey(t), "")
	sealed, _ := ring.Seal([]byte("some payload"), nil)
	sealed[len(sealed)-1] ^= 1

	if _, err := ring.Open(sealed, nil); !errors.Is(err, seal.ErrTampered) {
		t.Fatalf("open of changed value: %v, want ErrTampered", err)
	}
}

func TestSealRejectsTruncatedHeader(t *testing.T) {
	ring, _ := seal.ParseKeyring(newKey(t), "")
	sealed, _ := ring.Seal([]byte("some payload"), nil)

	for _, n := range []int{5, 6, 9} {
		if _, err := ring.Open(sealed[:n], nil); !errors.Is(err, seal.ErrTampered) {
			t.Errorf("open of %d-byte prefix: %v, want ErrTampered", n, err)
		}
	}
}

func TestPreviousKeyStillOpens(t *testing.T) {
	oldKey, newer := renamed(newKey(t), "old"), renamed(newKey(t), "new")
	oldRing, _ := seal.ParseKeyring(oldKey, "")
	sealed, _ := oldRing.Seal([]byte("payload"), nil)

	rotated, err := seal.ParseKeyring(newer, oldKey)
	if err != nil {
		t.Fatal(err)
	}
	opened, err := rotated.Open(sealed, nil)
	if err != nil || string(opened) != "payload" {
		t.Fatalf("open with previous key: %q, %v", opened, err)
	}
	if !rotated.NeedsReseal(sealed) {
		t.Errorf("value sealed with the old key does not need resealing")
	}
	resealed, _ := rotated.Seal(opened, nil)
	if id, _ := seal.KeyID(resealed); id != "new" {
		t.Errorf("resealed with key %q, want new", id)
	}
	if rotated.NeedsReseal(resealed) {
		t.Errorf("value sealed with the current key needs resealing")
	}
}

func TestUnknownKeyFails(t *testing.T) {
	ring, _ := seal.ParseKeyring(renamed(newKey(t), "a"), "")
	sealed, _ := ring.Seal([]byte("payload"), nil)
	other, _ := seal.ParseKeyring(renamed(newKey(t), "b"), "")

	if _, err := other.Open(sealed, nil); !errors.Is(err, seal.ErrUnknownKey) {
		t.Fatalf("open with a missing key: %v, want ErrUnknownKey", err)
	}
}

func TestPlainValuesPassThrough(t *testing.T) {
	empty, err := seal.ParseKeyring("", "")
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := empty.Seal([]byte(`{"a":1}`), nil)
	if string(stored) != `{"a":1}` {
		t.Fatalf("keyring without a key changed the value: %q", stored)
	}

	ring, _ := seal.ParseKeyring(newKey(t), "")
	opened, err := ring.Open(stored, nil)
	if err != nil || string(opened) != `{"a":1}` {
		t.Fatalf("open of a plain value: %q, %v", opened, err)
	}
	if !ring.NeedsReseal(stored) {
		t.Errorf("plain value does not need sealing")
	}
}

func TestParseKeyringRejectsBadKeys(t *testing.T) {
	good := newKey(t)
	cases := map[string][2]string{
		"no id":            {strings.SplitN(good, ":", 2)[1], ""},
		"short key":        {"k1:c2hvcnQ=", ""},
		"bad id":           {renamed(good, "bad id"), ""},
		"duplicate id":     {renamed(good, "same"), renamed(newKey(t), "same")},
		"previous only":    {"", good},
		"not base64":       {"k1:!!!", ""},
		"bad previous key": {good, "old:abc"},
	}
	for name, c := range cases {
		if _, err := seal.ParseKeyring(c[0], c[1]); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestParseKeyringErrorHidesKey(t *testing.T) {
	_, err := seal.ParseKeyring("k1:c2VjcmV0LXNlY3JldA==", "")
	if err == nil || strings.Contains(err.Error(), "c2VjcmV0") {
		t.Fatalf("error %v repeats the key", err)
	}
}

func TestNilKeyringPassesPlainValues(t *testing.T) {
	var ring *seal.Keyring
	stored, err := ring.Seal([]byte("plain"), nil)
	if err != nil || string(stored) != "plain" {
		t.Fatalf("nil keyring seal: %q, %v", stored, err)
	}
	if opened, err := ring.Open(stored, nil); err != nil || string(opened) != "plain" {
		t.Fatalf("nil keyring open: %q, %v", opened, err)
	}

	sealed, _ := mustKeyring(t).Seal([]byte("x"), nil)
	if _, err := ring.Open(sealed, nil); !errors.Is(err, seal.ErrUnknownKey) {
		t.Fatalf("nil keyring opened a sealed value: %v", err)
	}
}

func mustKeyring(t *testing.T) *seal.Keyring {
	t.Helper()
	ring, err := seal.ParseKeyring(newKey(t), "")
	if err != nil {
		t.Fatal(err)
	}

	return ring
}

func TestGeneratedKeysOfOneDayDiffer(t *testing.T) {
	now := time.Now()
	first, second := newKeyAt(t, now), newKeyAt(t, now)
	firstID, _, _ := strings.Cut(first, ":")
	secondID, _, _ := strings.Cut(second, ":")
	if firstID == secondID {
		t.Fatalf("two keys made at once share the id %q", firstID)
	}

	if _, err := seal.ParseKeyring(second, first); err != nil {
		t.Fatalf("keyring of two generated keys: %v", err)
	}
}

func newKeyAt(t *testing.T, now time.Time) string {
	t.Helper()
	key, err := seal.GenerateKey(now)
	if err != nil {
		t.Fatal(err)
	}

	return key
}
