package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// resealBatchSize is the number of transactions rotate-key reads per query.
const resealBatchSize = 500

// errNoEncryptionKey rejects rotate-key without a key to seal with.
var errNoEncryptionKey = errors.New("ENCRYPTION_KEY is not set: set it to the new key and ENCRYPTION_PREVIOUS_KEYS to the keys stored values were encrypted with")

// runRotateKey re-encrypts every stored payload and response that is not
// sealed with ENCRYPTION_KEY. It prints the counts, lists on stderr the id
// of each transaction it could not re-encrypt, and fails when there is one.
// Servers may keep running meanwhile.
func runRotateKey(stdout, stderr io.Writer) error {
	cfg, err := LoadConfig(os.LookupEnv)
	if err != nil {
		return err
	}
	if !cfg.Keyring.Enabled() {
		return errNoEncryptionKey
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := OpenStore(ctx, cfg, NewLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer st.Close()

	fmt.Fprintf(stdout, "re-encrypting transactions with key %q\n", cfg.Keyring.CurrentID())
	result, err := st.ResealTransactions(ctx, resealBatchSize)
	for _, failure := range result.Failed {
		// The error names the transaction and the column, never the value.
		fmt.Fprintln(stderr, "not re-encrypted:", failure.Err)
	}
	fmt.Fprintf(stdout, "resealed: %d\nalready current: %d\nfailed: %d\n", result.Resealed, result.Current, len(result.Failed))
	details := map[string]any{"resealed": result.Resealed, "current": result.Current, "failed": len(result.Failed)}
	if auditErr := auditCLI(ctx, st, auditKeyRotation, cfg.Keyring.CurrentID(), details); auditErr != nil {
		fmt.Fprintln(stderr, "writing the audit entry failed:", auditErr)
	}
	if err != nil {
		return fmt.Errorf("key rotation stopped: %w", err)
	}
	if len(result.Failed) > 0 {
		return fmt.Errorf("%d transactions could not be re-encrypted (ids above): add the keys that encrypted them to ENCRYPTION_PREVIOUS_KEYS and run rotate-key again", len(result.Failed))
	}

	return nil
}
