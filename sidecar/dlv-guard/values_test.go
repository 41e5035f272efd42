package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"unsafe"
)

// rate stands in for runtime.mutexprofilerate: a 64-bit variable the sidecar changes.
var rate uint64 = 7

// A value named with its old word is written back by restore; one the sidecar put back itself
// ("unvalue") is left alone.
func TestRestoreWritesNamedValuesBack(t *testing.T) {
	addr := uint64(uintptr(unsafe.Pointer(&rate)))
	vals := newValues(os.Getpid())
	traps := newTraps(os.Getpid())
	traps.follow(strings.NewReader(fmt.Sprintf("value %x 7\nvalue nonsense\n", addr)), vals)
	rate = 1000
	if restored, err := vals.restore(); err != nil || restored != 1 || rate != 7 {
		t.Fatalf("restored %d (%v): rate %d, want 7", restored, err, rate)
	}

	traps.follow(strings.NewReader(fmt.Sprintf("unvalue 0x%x\n", addr)), vals)
	rate = 1000
	if restored, _ := vals.restore(); restored != 0 || rate != 1000 {
		t.Fatalf("after unvalue restored %d: rate %d, want 1000 untouched", restored, rate)
	}
}
