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

	"ehrbridge/app/bench"
)

// runBench runs "ehrbridge bench": it loads a running server and prints
// the figures. The first interrupt stops the load and still prints them;
// a second one ends the process.
func runBench(args []string, stdout, stderr io.Writer) error {
	opts, err := bench.ParseOptions(args, os.LookupEnv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()

	report, runErr := bench.Run(ctx, opts, stderr)
	if err := bench.WriteReport(stdout, report, opts.JSON); err != nil {
		return err
	}
	if runErr == nil && report.Requests > 0 && report.Succeeded == 0 {
		// The figures above then measure failures, not the server's work.
		return fmt.Errorf("no request succeeded (%d sent): check --url, --ehr and the key's scope", report.Requests)
	}

	return runErr
}
