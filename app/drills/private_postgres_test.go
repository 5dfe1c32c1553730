package drills_test

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// privatePostgres is a PostgreSQL server that one drill starts and stops
// on its own port and data directory, so the shared server is never
// touched.
type privatePostgres struct {
	bindir  string
	dir     string
	dataDir string
	port    int
	// runAs starts each command as the postgres user when the test runs as
	// root, because initdb and postgres refuse to run as root.
	runAs []string
}

// startPrivatePostgres initializes a data directory with trust
// authentication and starts PostgreSQL on a free 127.0.0.1 port. The server
// is stopped and its directory removed when the test ends.
func startPrivatePostgres(t *testing.T) *privatePostgres {
	t.Helper()
	pg := &privatePostgres{bindir: postgresBindir(t), port: freePort(t)}
	dir, err := os.MkdirTemp("", "ehrbridge-drill-pg-")
	if err != nil {
		t.Fatalf("creating the PostgreSQL directory: %v", err)
	}
	pg.dir, pg.dataDir = dir, filepath.Join(dir, "data")
	t.Cleanup(func() {
		pg.stopForCleanup(t)
		_ = os.RemoveAll(dir)
	})
	if os.Geteuid() == 0 {
		pg.runAs = pg.postgresUser(t, dir)
	}

	pg.run(t, "initdb", "-D", pg.dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
	pg.start(t)

	return pg
}

// postgresBindir finds the directory of initdb, pg_ctl and postgres:
// `pg_config --bindir`, else the newest /usr/lib/postgresql/N/bin.
func postgresBindir(t *testing.T) string {
	t.Helper()
	var candidates []string
	if pgConfig, err := exec.LookPath("pg_config"); err == nil {
		if out, err := exec.Command(pgConfig, "--bindir").Output(); err == nil {
			candidates = append(candidates, strings.TrimSpace(string(out)))
		}
	}
	installed, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Sort(sort.Reverse(sort.StringSlice(installed)))
	candidates = append(candidates, installed...)
	for _, dir := range candidates {
		if hasExecutables(dir, "initdb", "pg_ctl", "postgres") {
			return dir
		}
	}
	missing := fmt.Sprintf("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in %v", candidates)
	if underCI() {
		t.Fatal(missing)
	}
	t.Skip(missing)

	return ""
}

func hasExecutables(dir string, names ...string) bool {
	for _, name := range names {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil || info.Mode()&0o111 == 0 {
			return false
		}
	}

	return true
}

// postgresUser gives dir to the postgres user and returns the runuser
// prefix that runs a command as that user.
func (p *privatePostgres) postgresUser(t *testing.T, dir string) []string {
	t.Helper()
	runuser := requireTool(t, "runuser", "/usr/sbin/runuser", "/sbin/runuser")
	account, err := user.Lookup("postgres")
	if err != nil {
		if underCI() {
			t.Fatalf("running as root needs a postgres user for initdb: %v", err)
		}
		t.Skipf("running as root needs a postgres user for initdb: %v", err)
	}
	uid, _ := strconv.Atoi(account.Uid)
	gid, _ := strconv.Atoi(account.Gid)
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatalf("chmod %s: %v", dir, err)
	}
	if err := os.Chown(dir, uid, gid); err != nil {
		t.Fatalf("chown %s to postgres: %v", dir, err)
	}

	return []string{runuser, "-u", "postgres", "--"}
}

// run runs one PostgreSQL program from bindir to its end.
func (p *privatePostgres) run(t *testing.T, program string, args ...string) string {
	t.Helper()
	command := append(append([]string{}, p.runAs...), filepath.Join(p.bindir, program))
	command = append(command, args...)

	return runCommand(t, 60*time.Second, command[0], command[1:]...)
}

// start starts the server and waits until it takes connections.
func (p *privatePostgres) start(t *testing.T) {
	t.Helper()
	options := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories=%s -c fsync=off -c full_page_writes=off",
		p.port, p.dir)
	p.run(t, "pg_ctl", "-D", p.dataDir, "-l", filepath.Join(p.dir, "postgres.log"), "-w", "-t", "60", "-o", options, "start")
}

// stop shuts the server down the way an operator's fast stop does: open
// sessions are ended at once.
func (p *privatePostgres) stop(t *testing.T) {
	t.Helper()
	p.run(t, "pg_ctl", "-D", p.dataDir, "-m", "fast", "-w", "-t", "60", "stop")
}

// stopForCleanup stops a server still running at the end of the test. If
// pg_ctl fails, it kills the postmaster by the PID in postmaster.pid,
// which this drill's pg_ctl start created.
func (p *privatePostgres) stopForCleanup(t *testing.T) {
	t.Helper()
	pidFile := filepath.Join(p.dataDir, "postmaster.pid")
	content, err := os.ReadFile(pidFile)
	if err != nil {
		return // not running
	}
	command := append(append([]string{}, p.runAs...), filepath.Join(p.bindir, "pg_ctl"), "-D", p.dataDir, "-m", "immediate", "-w", "stop")
	output, err := exec.Command(command[0], command[1:]...).CombinedOutput()
	if err == nil {
		return
	}
	t.Logf("pg_ctl stop failed, so the postmaster gets SIGKILL: %v\n%s", err, output)
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(content), "\n", 2)[0]))
	if err != nil {
		return
	}
	if process, err := os.FindProcess(pid); err == nil {
		_ = process.Signal(syscall.SIGKILL)
	}
}

// databaseURL is the URL of database on this server, which ehrbridge
// creates at start.
func (p *privatePostgres) databaseURL(database string) string {
	return fmt.Sprintf("postgres://postgres@%s/%s?sslmode=disable", hostPort(p.port), database)
}

// serverLog returns the end of PostgreSQL's own log.
func (p *privatePostgres) serverLog() string {
	content, err := os.ReadFile(filepath.Join(p.dir, "postgres.log"))
	if err != nil {
		return err.Error()
	}

	return lastBytes(string(content), 4000)
}
