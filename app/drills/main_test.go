// Package drills_test runs fault drills against real processes: the
// ehrbridge binary serving, the EHR simulator on its own port, PostgreSQL
// and Redis. Each drill kills or stops one of them under load and checks
// that no accepted send is lost or delivered twice.
package drills_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// ehrbridgeBinary is the path of the binary that TestMain builds. When the
// build fails, buildErr holds the reason and every drill stops at
// requireBinary.
var (
	ehrbridgeBinary string
	buildErr        error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ehrbridge-drills-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "creating the build directory:", err)
		os.Exit(1)
	}
	ehrbridgeBinary, buildErr = buildEhrbridge(dir)

	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// errGoMissing reports that no go command is on PATH to build the binary.
var errGoMissing = errors.New("the go command is not on PATH")

// buildEhrbridge runs `go build -o dir/ehrbridge ehrbridge` from the module
// root and returns the binary's path.
func buildEhrbridge(dir string) (string, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", errGoMissing
	}
	goMod, err := exec.Command(goTool, "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("finding the module root with go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(goMod)))

	binary := filepath.Join(dir, "ehrbridge")
	build := exec.Command(goTool, "build", "-o", binary, "ehrbridge")
	build.Dir = root
	if output, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ehrbridge in %s: %w\n%s", root, err, output)
	}

	return binary, nil
}

// requireBinary stops the drill when the binary could not be built: a
// failure under CI=true or after a failed build, a skip when only the go
// command is missing outside CI.
func requireBinary(t *testing.T) {
	t.Helper()
	switch {
	case buildErr == nil:
		return
	case errors.Is(buildErr, errGoMissing) && !underCI():
		t.Skipf("cannot build ehrbridge: %v", buildErr)
	default:
		t.Fatalf("cannot build ehrbridge: %v", buildErr)
	}
}

// requireTool returns the path of an executable the drill needs. A
// missing one fails the drill under CI=true and skips it elsewhere.
func requireTool(t *testing.T, name string, candidates ...string) string {
	t.Helper()
	for _, candidate := range candidates {
		if info, err := os.Stat(candidate); err == nil && !info.IsDir() && info.Mode()&0o111 != 0 {
			return candidate
		}
	}
	if path, err := exec.LookPath(name); err == nil {
		return path
	}
	missing := fmt.Sprintf("%s is not installed (looked on PATH and in %v)", name, candidates)
	if underCI() {
		t.Fatal(missing)
	}
	t.Skip(missing)

	return ""
}

func underCI() bool {
	return os.Getenv("CI") == "true"
}
