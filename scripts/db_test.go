// Package scripts holds the shell scripts that set up the machine; its tests check them.
package scripts

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestDurableByDefault: the cluster `make run` serves from must survive a crash with every
// acknowledged turn (fsync, synchronous commits and full page writes on); only THUTUC_PG_FAST=1,
// which `make test` sets for its throwaway databases, turns them off.
func TestDurableByDefault(t *testing.T) {
	unsafe := []string{"fsync=off", "synchronous_commit=off", "full_page_writes=off"}
	flags := func(fast string) string {
		cmd := exec.Command("bash", "db.sh", "flags")
		cmd.Env = append(os.Environ(), "THUTUC_PG_FAST="+fast)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("db.sh flags: %v", err)
		}
		return string(out)
	}
	durable := flags("")
	for _, f := range unsafe {
		if strings.Contains(durable, f) {
			t.Errorf("db.sh starts the cluster with %s by default: %s", f, durable)
		}
	}
	fast := flags("1")
	for _, f := range unsafe {
		if !strings.Contains(fast, f) {
			t.Errorf("THUTUC_PG_FAST=1 does not set %s: %s", f, fast)
		}
	}
	mk, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mk), "THUTUC_PG_FAST=1 scripts/db.sh ensure") {
		t.Error("make test does not start the cluster fast")
	}
	for _, target := range []string{"\nrun:", "\nmigrate:"} {
		i := strings.Index(string(mk), target)
		if i < 0 {
			t.Fatalf("Makefile has no %s target", target)
		}
		line, _, _ := strings.Cut(string(mk)[i+1:], "\n\n")
		if strings.Contains(line, "THUTUC_PG_FAST") {
			t.Errorf("%s starts the cluster fast", target)
		}
	}
}
