package app

import (
	"context"
	"io"
	"os"
	"os/user"

	"ehrbridge/app/store"
)

// openCLIStore loads the configuration and opens the migrated database for
// a command that changes accounts, keys or payloads.
func openCLIStore(ctx context.Context, stderr io.Writer) (*Config, *store.Store, error) {
	cfg, err := LoadConfig(os.LookupEnv)
	if err != nil {
		return nil, nil, err
	}
	st, err := OpenStore(ctx, cfg, NewLogger(cfg, stderr))
	if err != nil {
		return nil, nil, err
	}

	return cfg, st, nil
}

// cliActor names the operating-system account running a command, for the
// audit log.
func cliActor() string {
	if current, err := user.Current(); err == nil && current.Username != "" {
		return "cli:" + current.Username
	}

	return "cli"
}

// auditCLI records an action taken from the command line.
func auditCLI(ctx context.Context, st *store.Store, action, target string, details map[string]any) error {
	return st.Audit(ctx, store.AuditEvent{Actor: cliActor(), Action: action, Target: target, Details: details})
}
