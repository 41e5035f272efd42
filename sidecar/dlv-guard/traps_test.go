package main

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
)

// victim is never called: the test writes a trap over its first byte.
func victim() int { return 42 }

// The guard's whole job on this process itself: a trap written into the code, named on the
// "stdin", comes out again with the byte the executable has there.
func TestRestoreWritesTheExecutablesByteOverATrap(t *testing.T) {
	addr := uint64(reflect.ValueOf(victim).Pointer())
	mem, err := os.OpenFile("/proc/self/mem", os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	before := make([]byte, 1)
	if _, err := mem.ReadAt(before, int64(addr)); err != nil {
		t.Fatal(err)
	}

	traps := newTraps(os.Getpid())
	traps.follow(strings.NewReader(fmt.Sprintf("bp %x\nnonsense\nbp 0x%x\n", addr, addr)), newValues(os.Getpid()))
	if _, err := mem.WriteAt([]byte{int3}, int64(addr)); err != nil {
		t.Fatal(err)
	}
	restored, err := traps.restore()

	after := make([]byte, 1)
	mem.ReadAt(after, int64(addr))
	if err != nil || restored != 1 || after[0] != before[0] {
		t.Fatalf("restored %d (%v): byte %#x, want %#x", restored, err, after[0], before[0])
	}
	if again, _ := traps.restore(); again != 0 {
		t.Fatalf("restored %d traps that were not there", again)
	}
}

func TestClearForgetsATrap(t *testing.T) {
	addr := uint64(reflect.ValueOf(victim).Pointer())
	traps := newTraps(os.Getpid())
	traps.follow(strings.NewReader(fmt.Sprintf("setting\nbp %x\nclear %x\n", addr, addr)), newValues(os.Getpid()))
	if traps.any() {
		t.Fatal("a cleared trap is still named")
	}
}

func TestATrapBeingSetCountsUntilNamedOrNone(t *testing.T) {
	traps := newTraps(os.Getpid())
	traps.follow(strings.NewReader("setting\n"), newValues(os.Getpid()))
	if !traps.any() {
		t.Fatal("a trap being set does not count")
	}
	traps.follow(strings.NewReader("none\n"), newValues(os.Getpid()))
	if traps.any() {
		t.Fatal("a trap that none came of still counts")
	}
}

// The sidecar names the addresses a breakpoint will be written to before Delve writes it: a named
// address that holds no trap (not yet written, or never) is left as it is.
func TestANamedAddressWithoutATrapIsLeftAlone(t *testing.T) {
	addr := uint64(reflect.ValueOf(victim).Pointer())
	traps := newTraps(os.Getpid())
	traps.follow(strings.NewReader(fmt.Sprintf("bp %x\nsetting\n", addr)), newValues(os.Getpid()))
	if !traps.any() {
		t.Fatal("an address named in advance does not count")
	}
	if restored, err := traps.restore(); err != nil || restored != 0 {
		t.Fatalf("restored %d (%v) where no trap was", restored, err)
	}
	if victim() != 42 {
		t.Fatal("the code changed")
	}
}
