package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"

	"ehrbridge/app/store"
	"ehrbridge/migrations"
)

const usage = `Usage: ehrbridge [command]

Commands:
  serve             serve the JSON API, the admin UI and (in development) the EHR simulator (default)
  migrate [up]      create the database if missing and apply pending migrations
  migrate status    list migrations and when each was applied
  sim [-port N]     run the EHR simulator alone (default port: SIM_PORT, 3002)
  user create --username NAME --role admin|operator|viewer
                    create a UI account; the password is read from standard input
  user list         list UI accounts
  user set-password --username NAME
                    set a new password, read from standard input; ends the account's sessions
  user set-role --username NAME --role ROLE
  user disable --username NAME
  user enable --username NAME
  apikey create --name NAME --scope send[,read][,admin]
                    create an API key and print it; it is shown only this once
  apikey list       list API keys (never the keys themselves)
  apikey revoke KEY_ID
  genkey            print a new random ENCRYPTION_KEY value
  bench --url URL --scenario mapping|sync|async|e2e (--duration 30s | --count N) [options]
                    send load to a running server and print throughput, latency and errors
  rotate-key        re-encrypt stored payloads with ENCRYPTION_KEY; the keys they were
                    encrypted with must be in ENCRYPTION_KEY or ENCRYPTION_PREVIOUS_KEYS
  version           print the version
  help              print this text

Configuration comes from environment variables; see README.md.
`

// RunCLI runs the subcommand named by args and returns the exit code.
// Passwords are read from stdin.
func RunCLI(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	command := "serve"
	if len(args) > 0 {
		command, args = args[0], args[1:]
	}

	var err error
	switch command {
	case "serve":
		err = runServe(stderr)
	case "migrate":
		err = runMigrate(args, stdout, stderr)
	case "sim":
		err = runSimulator(args, stderr)
	case "user":
		err = runUserCommand(args, stdin, stdout, stderr)
	case "apikey":
		err = runAPIKeyCommand(args, stdout, stderr)
	case "genkey":
		err = runGenerateKey(stdout)
	case "bench":
		err = runBench(args, stdout, stderr)
	case "rotate-key":
		err = runRotateKey(stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "ehrbridge", Version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", command, usage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "ehrbridge:", err)
		return 1
	}

	return 0
}

func runServe(stderr io.Writer) error {
	cfg, err := LoadConfig(os.LookupEnv)
	if err != nil {
		return err
	}
	logger := NewLogger(cfg, stderr)
	logger.Info("starting ehrbridge", cfg.Redacted()...)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	a, err := New(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer a.Close()

	return a.Serve(ctx)
}

func runMigrate(args []string, stdout, stderr io.Writer) error {
	action := "up"
	if len(args) > 0 {
		action = args[0]
	}
	if action != "up" && action != "status" {
		return fmt.Errorf("unknown migrate action %q: use up or status", action)
	}
	cfg, err := LoadConfig(os.LookupEnv)
	if err != nil {
		return err
	}
	logger := NewLogger(cfg, stderr)
	ctx := context.Background()

	if action == "up" {
		st, err := OpenStore(ctx, cfg, logger)
		if err != nil {
			return err
		}
		st.Close()
		fmt.Fprintln(stdout, "database is up to date")
		return nil
	}

	return printMigrationStatus(ctx, cfg, stdout)
}

func printMigrationStatus(ctx context.Context, cfg *Config, stdout io.Writer) error {
	st, err := store.Open(ctx, cfg.PostgresURL(), 2)
	if err != nil {
		return err
	}
	defer st.Close()

	known, err := store.LoadMigrations(migrations.Files)
	if err != nil {
		return err
	}
	status, err := st.MigrationStatus(ctx, known)
	if err != nil && !errors.Is(err, store.ErrSchemaTooNew) {
		return err
	}

	table := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(table, "VERSION\tNAME\tAPPLIED")
	for _, m := range status {
		applied := "pending"
		if m.AppliedAt != nil {
			applied = m.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
		}
		fmt.Fprintf(table, "%04d\t%s\t%s\n", m.Version, m.Name, applied)
	}
	if flushErr := table.Flush(); flushErr != nil {
		return flushErr
	}

	return err
}

func runSimulator(args []string, stderr io.Writer) error {
	cfg, err := LoadConfig(os.LookupEnv)
	if err != nil {
		return err
	}
	flags := flag.NewFlagSet("sim", flag.ContinueOnError)
	flags.SetOutput(stderr)
	port := flags.Int("port", cfg.SimPort, "port to listen on")
	host := flags.String("host", "127.0.0.1", "address to bind")
	if err := flags.Parse(args); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	return ServeSimulator(ctx, fmt.Sprintf("%s:%d", *host, *port), NewLogger(cfg, stderr))
}
