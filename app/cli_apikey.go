package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"ehrbridge/app/store"
)

func runAPIKeyCommand(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("apikey needs an action: create, list or revoke")
	}
	action, args := args[0], args[1:]
	ctx := context.Background()
	_, st, err := openCLIStore(ctx, stderr)
	if err != nil {
		return err
	}
	defer st.Close()

	switch action {
	case "create":
		return createAPIKeyFromCLI(ctx, st, args, stdout, stderr)
	case "list":
		return listAPIKeys(ctx, st, stdout)
	case "revoke":
		if len(args) != 1 {
			return errors.New("apikey revoke needs one key id, as shown by apikey list")
		}
		if err := st.RevokeAPIKey(ctx, args[0]); errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no active API key has id %q", args[0])
		} else if err != nil {
			return err
		}
		fmt.Fprintln(stdout, "revoked", args[0])
		return auditCLI(ctx, st, auditAPIKeyRevoke, args[0], nil)
	}

	return fmt.Errorf("unknown apikey action %q: use create, list or revoke", action)
}

func createAPIKeyFromCLI(ctx context.Context, st *store.Store, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("apikey create", flag.ContinueOnError)
	flags.SetOutput(stderr)
	name := flags.String("name", "", "what the key is for, such as the clinic's intake form")
	scope := flags.String("scope", "", "comma-separated scopes: send, read, admin")
	if err := flags.Parse(args); err != nil {
		return err
	}

	key, record, err := newAPIKey(ctx, st, *name, strings.Split(*scope, ","), cliActor())
	if err != nil {
		return err
	}
	if err := auditCLI(ctx, st, auditAPIKeyCreate, record.KeyID, map[string]any{"name": record.Name, "scopes": record.ScopeList()}); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "API key %s (%s) created with scopes %s. Store it now: it is not shown again.\n",
		record.KeyID, record.Name, record.Scopes)
	fmt.Fprintln(stdout, key)

	return nil
}

func listAPIKeys(ctx context.Context, st *store.Store, stdout io.Writer) error {
	keys, err := st.ListAPIKeys(ctx)
	if err != nil {
		return err
	}
	table := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(table, "KEY ID\tNAME\tSCOPES\tCREATED\tLAST USED\tSTATE")
	for _, k := range keys {
		state := "active"
		if k.RevokedAt != nil {
			state = "revoked " + k.RevokedAt.UTC().Format(timeFormat)
		}
		lastUsed := "never"
		if k.LastUsedAt != nil {
			lastUsed = k.LastUsedAt.UTC().Format(timeFormat)
		}
		fmt.Fprintf(table, "%s\t%s\t%s\t%s\t%s\t%s\n", k.KeyID, k.Name, k.Scopes, k.CreatedAt.UTC().Format(timeFormat), lastUsed, state)
	}

	return table.Flush()
}
