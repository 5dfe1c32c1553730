package app_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/google/uuid"

	"ehrbridge/app"
	"ehrbridge/app/seal"
	"ehrbridge/app/store"
)

// newTestKey returns a new random ENCRYPTION_KEY value with id.
func newTestKey(t *testing.T, id string) string {
	t.Helper()
	key := make([]byte, seal.KeySize)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}

	return id + ":" + base64.StdEncoding.EncodeToString(key)
}

// openStoreWithKeys opens a second connection to the test database whose
// keyring is current plus previous.
func openStoreWithKeys(t *testing.T, env *testEnv, current string, previous ...string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), env.app.Config.PostgresURL(), 2)
	if err != nil {
		t.Fatalf("opening the store: %v", err)
	}
	t.Cleanup(st.Close)
	st.Keyring, err = seal.ParseKeyring(current, strings.Join(previous, ","))
	if err != nil {
		t.Fatalf("ParseKeyring: %v", err)
	}

	return st
}

// requireReadable checks that every transaction of ids opens with st's
// keyring, gives the payload in want, and is stored sealed with keyID.
func requireReadable(t *testing.T, env *testEnv, st *store.Store, want map[string][]byte, keyID string) {
	t.Helper()
	for id, payload := range want {
		txn, err := st.FindTransaction(context.Background(), uuid.MustParse(id))
		if err != nil {
			t.Errorf("transaction %s does not open with key %s alone: %v", id, keyID, err)
			continue
		}
		if !bytes.Equal(txn.Payload, payload) {
			t.Errorf("payload of %s changed in the rotation", id)
		}
		stored, response := storedColumns(t, env, id)
		if got, _ := seal.KeyID(stored); got != keyID {
			t.Errorf("payload of %s sealed with %q, want %q", id, got, keyID)
		}
		if got, _ := seal.KeyID(response); response != nil && got != keyID {
			t.Errorf("response of %s sealed with %q, want %q", id, got, keyID)
		}
	}
}

// sendAndRemember sends count samples and records each stored plaintext
// payload by transaction id.
func sendAndRemember(t *testing.T, env *testEnv, sender string, count int, into map[string][]byte) {
	t.Helper()
	for range count {
		id := sendSealedSample(t, env, sender)
		txn, err := env.app.Store.FindTransaction(context.Background(), uuid.MustParse(id))
		if err != nil {
			t.Fatalf("FindTransaction: %v", err)
		}
		into[id] = txn.Payload
	}
}

func TestRotateKeyStoreFunction(t *testing.T) {
	t.Parallel()
	keyA, keyB := newTestKey(t, "rotatea"), newTestKey(t, "rotateb")
	env := setupProductionWithEHR(t, map[string]string{"ENCRYPTION_KEY": keyA})
	sender := env.createAPIKey(t, "send")
	payloads := map[string][]byte{}
	sendAndRemember(t, env, sender, 5, payloads)

	rotating := openStoreWithKeys(t, env, keyB, keyA)
	result, err := rotating.ResealTransactions(context.Background(), 2)
	if err != nil {
		t.Fatalf("ResealTransactions: %v", err)
	}
	if result.Resealed != 5 || result.Current != 0 || len(result.Failed) != 0 {
		t.Errorf("rotation result %+v, want 5 resealed", result)
	}

	requireReadable(t, env, openStoreWithKeys(t, env, keyB), payloads, "rotateb")
}

// rotateKeyCommand runs `ehrbridge rotate-key` against the test database
// with the keys given, and returns its exit code and output.
func rotateKeyCommand(t *testing.T, env *testEnv, current, previous string) (int, string, string) {
	t.Helper()
	t.Setenv("DATABASE_URL", env.app.Config.PostgresURL())
	t.Setenv("APP_ENV", "production")
	t.Setenv("ENCRYPTION_KEY", current)
	t.Setenv("ENCRYPTION_PREVIOUS_KEYS", previous)
	var stdout, stderr bytes.Buffer
	code := app.RunCLI([]string{"rotate-key"}, strings.NewReader(""), &stdout, &stderr)

	return code, stdout.String(), stderr.String()
}

func TestRotateKeyCommand(t *testing.T) {
	keyA, keyB := newTestKey(t, "clia"), newTestKey(t, "clib")
	env := setupProductionWithEHR(t, map[string]string{"ENCRYPTION_KEY": keyA})
	sender := env.createAPIKey(t, "send")
	payloads := map[string][]byte{}
	sendAndRemember(t, env, sender, 3, payloads)

	code, stdout, stderr := rotateKeyCommand(t, env, keyB, keyA)
	if code != 0 {
		t.Fatalf("rotate-key exited %d: %s%s", code, stdout, stderr)
	}
	for _, line := range []string{"resealed: 3", "already current: 0", "failed: 0"} {
		if !strings.Contains(stdout, line) {
			t.Errorf("rotate-key output lacks %q: %s", line, stdout)
		}
	}
	requireReadable(t, env, openStoreWithKeys(t, env, keyB), payloads, "clib")

	code, stdout, _ = rotateKeyCommand(t, env, keyB, keyA)
	if code != 0 || !strings.Contains(stdout, "resealed: 0") || !strings.Contains(stdout, "already current: 3") {
		t.Errorf("second rotate-key exited %d: %s", code, stdout)
	}
}

func TestRotateKeyCommandFailsOnUnknownKey(t *testing.T) {
	keyA, keyB, lostKey := newTestKey(t, "faila"), newTestKey(t, "failb"), newTestKey(t, "lost")
	env := setupProductionWithEHR(t, map[string]string{"ENCRYPTION_KEY": keyA})
	sender := env.createAPIKey(t, "send")
	readable := sendSealedSample(t, env, sender)
	lost := sendSealedSample(t, env, sender)

	lostKeyring, err := seal.ParseKeyring(lostKey, "")
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := lostKeyring.Seal([]byte(`{"patientData":{"firstName":"Zzcanaryfirst"}}`), []byte("transactions/"+lost+"/payload"))
	if err != nil {
		t.Fatal(err)
	}
	if err := env.app.Store.DB.Exec("UPDATE transactions SET payload = ? WHERE id = ?", sealed, lost).Error; err != nil {
		t.Fatalf("sealing a payload with a key the command lacks: %v", err)
	}

	code, stdout, stderr := rotateKeyCommand(t, env, keyB, keyA)
	if code == 0 {
		t.Fatalf("rotate-key exited 0 with an unreadable row: %s%s", stdout, stderr)
	}
	if !strings.Contains(stderr, lost) {
		t.Errorf("rotate-key errors do not name transaction %s: %s", lost, stderr)
	}
	if strings.Contains(stderr, readable) {
		t.Errorf("rotate-key errors name the readable transaction %s: %s", readable, stderr)
	}
	if !strings.Contains(stdout, "failed: 1") || !strings.Contains(stdout, "resealed: 1") {
		t.Errorf("rotate-key counts: %s, want 1 resealed and 1 failed", stdout)
	}
	if found := sealedSampleFound(stdout + stderr); len(found) > 0 {
		t.Errorf("rotate-key output contains %v", found)
	}
}

func TestRotateKeyCommandNeedsAKey(t *testing.T) {
	env := setup(t, nil)
	t.Setenv("DATABASE_URL", env.app.Config.PostgresURL())
	t.Setenv("APP_ENV", "development")
	t.Setenv("ENCRYPTION_KEY", "")
	t.Setenv("ENCRYPTION_PREVIOUS_KEYS", "")
	var stdout, stderr bytes.Buffer

	code := app.RunCLI([]string{"rotate-key"}, strings.NewReader(""), &stdout, &stderr)
	if code == 0 {
		t.Fatalf("rotate-key without ENCRYPTION_KEY exited 0: %s", stdout.String())
	}
	if !strings.Contains(stderr.String(), "ENCRYPTION_KEY is not set") {
		t.Errorf("rotate-key error %q does not name ENCRYPTION_KEY", stderr.String())
	}
}
