package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
)

// values are 64-bit runtime variables the sidecar changed in the target for a capture, such as
// runtime.blockprofilerate and runtime.mutexprofilerate while a Block or Mutex capture switches
// profiling on. The sidecar names each one with the value to put back, "value <hex address> <hex
// word>", before it asks Delve to change it, and "unvalue <hex address>" once Delve has put the old
// value back. A dlv (or sidecar) that dies in between would leave the target profiling for good,
// at a cost nobody chose: the guard writes the old values back before it lets dlv go.
type values struct {
	pid  int
	mu   sync.Mutex
	orig map[uint64]uint64 // address -> the word to put back
}

func newValues(pid int) *values {
	return &values{pid: pid, orig: map[uint64]uint64{}}
}

// handles applies one line of the sidecar's if it is about values, and says whether it was.
func (v *values) handles(line string) bool {
	f := strings.Fields(line)
	if len(f) == 0 || (f[0] != "value" && f[0] != "unvalue") {
		return false
	}
	if (f[0] == "value" && len(f) != 3) || (f[0] == "unvalue" && len(f) != 2) {
		fmt.Fprintf(os.Stderr, "dlv-guard: ignoring %q (want value <hex> <hex> or unvalue <hex>)\n", line)
		return true
	}
	addr, err := strconv.ParseUint(strings.TrimPrefix(f[1], "0x"), 16, 64)
	if err != nil {
		fmt.Fprintf(os.Stderr, "dlv-guard: ignoring %q: %v\n", line, err)
		return true
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if f[0] == "unvalue" {
		delete(v.orig, addr)
		return true
	}
	word, err := strconv.ParseUint(strings.TrimPrefix(f[2], "0x"), 16, 64)
	if err != nil {
		fmt.Fprintf(os.Stderr, "dlv-guard: ignoring %q: %v\n", line, err)
		return true
	}
	v.orig[addr] = word
	return true
}

// restore writes every named value back and returns how many it wrote. Writing a value that is
// already right changes nothing, so it needs no check first.
func (v *values) restore() (int, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.orig) == 0 {
		return 0, nil
	}
	mem, err := os.OpenFile("/proc/"+strconv.Itoa(v.pid)+"/mem", os.O_RDWR, 0)
	if err != nil {
		return 0, err
	}
	defer mem.Close()
	restored := 0
	word := make([]byte, 8)
	for addr, orig := range v.orig {
		// One aligned 8-byte write, as the runtime's own atomic store of these variables is.
		binary.LittleEndian.PutUint64(word, orig)
		if _, err := mem.WriteAt(word, int64(addr)); err != nil {
			return restored, fmt.Errorf("writing %#x: %v", addr, err)
		}
		restored++
	}
	return restored, nil
}

func reportValues(restored int, err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "dlv-guard: could not restore every runtime value (restored %d): %v\n", restored, err)
	} else if restored > 0 {
		fmt.Printf("dlv-guard: restored %d runtime value(s) the sidecar had changed\n", restored)
	}
}
