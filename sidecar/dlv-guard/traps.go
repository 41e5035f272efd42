package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// int3 is the instruction Delve writes over the first byte of a breakpoint's instruction on amd64.
const int3 = 0xCC

// traps are the breakpoints the sidecar has told us Delve wrote into the target. Delve keeps the
// bytes they replaced in its own memory only, so if dlv dies with one in place the trap stays in
// the code, and the next goroutine to reach it takes a SIGTRAP, which the Go runtime answers by
// crashing the whole process. The guard, which outlives dlv, puts the original bytes back.
//
// The sidecar names them on our stdin, one line each: "bp <hex address>" once Delve has set one
// (the target is still halted then, so nothing can have reached it yet), "clear <hex address>"
// once Delve has removed it. Before asking Delve for one it says "setting": until the address
// follows, a trap may be in the code that only dlv can remove; "none" says that none came of it.
// A sidecar that sends nothing gets the guard's old behaviour.
type traps struct {
	pid     int
	mu      sync.Mutex
	orig    map[uint64]byte // address -> the byte the trap replaced, read from the executable
	setting bool            // a trap may be in the code that has not been named yet
	named   chan struct{}   // receives when a trap is named, to start watching
}

func newTraps(pid int) *traps {
	return &traps{pid: pid, orig: map[uint64]byte{}, named: make(chan struct{}, 1)}
}

// watch restores the traps the moment any thread of dlv exits, which means dlv is dying: a Go
// program keeps its threads unless a goroutine locked to one exits, and Delve's never does (were
// one to, the breakpoint would only stop firing). A SIGKILLed dlv takes milliseconds to exit while
// its last thread tears down its memory, and the kernel releases the target's threads whenever
// dlv's tracing thread goes; a goroutine that reaches a trap meanwhile stops for a dlv that will
// never handle it, and gets its SIGTRAP on release. Waiting for dlv's exit left the trap in place
// through all of that (4 of 20 targets survived dlv's SIGKILL under traffic; 18 of 20 this way).
// Before Linux 6.9, which cannot tell a thread's exit, the traps are restored after that wait
// only: polling for it would cost a tenth of a core.
func (t *traps) watch(dlv int) {
	for range t.named {
		if awaitAnyExit(dlv) {
			report(t.restore())
			return
		}
	}
}

// awaitAnyExit waits for any thread of pid to exit, and reports false at once if the kernel cannot
// say: a pidfd for a single thread (PIDFD_THREAD) is readable once the thread has exited. dlv's Go
// runtime starts threads as it works (one for each thread blocked in a system call), and the one
// that exits first on a SIGKILL may be one started after the watch began: so the threads are
// listed again every rewatch, a wakeup that costs next to nothing.
func awaitAnyExit(pid int) bool {
	for {
		exited, known := awaitExitWithin(pid, rewatch)
		if !known || exited {
			return known
		}
	}
}

const rewatch = 50 * time.Millisecond

// awaitExitWithin waits at most timeout for any of pid's current threads to exit. known is false
// if the kernel cannot say; a pid without threads left counts as exited.
func awaitExitWithin(pid int, timeout time.Duration) (exited, known bool) {
	const pidfdOpen, pidfdThread, pollIn = 434, 0x80, 0x1 // the same number on every arch; O_EXCL; POLLIN
	type pollFd struct {
		fd             int32
		events, revent int16
	}
	tasks, _ := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
	var fds []pollFd
	unsupported := false
	for _, task := range tasks {
		tid, _ := strconv.Atoi(task.Name())
		fd, _, errno := syscall.Syscall(pidfdOpen, uintptr(tid), pidfdThread, 0)
		if errno == 0 {
			defer syscall.Close(int(fd))
			fds = append(fds, pollFd{int32(fd), pollIn, 0})
		} else if errno != syscall.ESRCH {
			unsupported = true
		}
	}
	if len(fds) == 0 {
		return !unsupported, !unsupported
	}
	wait := syscall.NsecToTimespec(int64(timeout))
	for {
		ready, _, errno := syscall.Syscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&fds[0])), uintptr(len(fds)),
			uintptr(unsafe.Pointer(&wait)), 0, 0, 0)
		if errno != syscall.EINTR {
			return errno == 0 && ready > 0, errno == 0
		}
	}
}

// follow reads the sidecar's lines until its end of the pipe closes; those about runtime values
// go to vals.
func (t *traps) follow(r io.Reader, vals *values) {
	lines := bufio.NewScanner(r)
	for lines.Scan() {
		if vals.handles(lines.Text()) {
			continue
		}
		verb, arg, _ := strings.Cut(strings.TrimSpace(lines.Text()), " ")
		addr, err := strconv.ParseUint(strings.TrimPrefix(arg, "0x"), 16, 64)
		if verb == "setting" || verb == "none" {
			t.mu.Lock()
			t.setting = verb == "setting"
			t.mu.Unlock()
			continue
		}
		if err != nil || (verb != "bp" && verb != "clear") {
			fmt.Fprintf(os.Stderr, "dlv-guard: ignoring %q (want setting, none, bp <hex> or clear <hex>)\n", lines.Text())
			continue
		}
		t.mu.Lock()
		if verb == "bp" {
			t.setting = false
		}
		if verb == "clear" {
			delete(t.orig, addr)
		} else if b, err := t.original(addr); err != nil {
			fmt.Fprintf(os.Stderr, "dlv-guard: cannot restore a breakpoint at %#x if dlv dies: %v\n", addr, err)
		} else {
			// Read now rather than after dlv's death: then threads run again, and every
			// microsecond until the byte is back is a chance for one of them to hit the trap.
			t.orig[addr] = b
			select {
			case t.named <- struct{}{}:
			default:
			}
		}
		t.mu.Unlock()
	}
}

// any reports whether a breakpoint may be in the target: named and not cleared since, or being set.
func (t *traps) any() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.orig) > 0 || t.setting
}

// restore writes the original byte back wherever a trap is still in the target and returns how
// many it restored. Harmless while dlv lives: Delve writes the same byte when it clears one.
func (t *traps) restore() (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.orig) == 0 {
		return 0, nil
	}
	// Writing through /proc/PID/mem needs the same ptrace permission dlv had, not a tracer:
	// the kernel writes read-only text pages the way a debugger's POKE does.
	mem, err := os.OpenFile("/proc/"+strconv.Itoa(t.pid)+"/mem", os.O_RDWR, 0)
	if err != nil {
		return 0, err
	}
	defer mem.Close()
	restored := 0
	b := make([]byte, 1)
	for addr, orig := range t.orig {
		// Only a trap is replaced: if Delve removed it already, the byte is right as it is.
		if _, err := mem.ReadAt(b, int64(addr)); err != nil || b[0] != int3 {
			continue
		}
		if _, err := mem.WriteAt([]byte{orig}, int64(addr)); err != nil {
			return restored, fmt.Errorf("writing %#x: %v", addr, err)
		}
		restored++
	}
	return restored, nil
}

// original reads the byte at addr as the target's executable has it on disk: the address must
// lie in a mapping of that file, and /proc/PID/maps says at which offset.
func (t *traps) original(addr uint64) (byte, error) {
	proc := "/proc/" + strconv.Itoa(t.pid)
	// The exe link and the maps lines name the file the same way, in our mount namespace, even
	// when the target's file was deleted or replaced since it started.
	path, err := os.Readlink(proc + "/exe")
	if err != nil {
		return 0, err
	}
	maps, err := os.ReadFile(proc + "/maps")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(maps), "\n") {
		// start-end perms offset dev inode path
		f := strings.Fields(line)
		if len(f) < 6 || !strings.HasSuffix(line, " "+path) {
			continue
		}
		start, end, _ := strings.Cut(f[0], "-")
		lo, err1 := strconv.ParseUint(start, 16, 64)
		hi, err2 := strconv.ParseUint(end, 16, 64)
		off, err3 := strconv.ParseUint(f[2], 16, 64)
		if err1 != nil || err2 != nil || err3 != nil || addr < lo || addr >= hi {
			continue
		}
		exe, err := os.Open(proc + "/exe")
		if err != nil {
			return 0, err
		}
		defer exe.Close()
		b := make([]byte, 1)
		if _, err := exe.ReadAt(b, int64(addr-lo+off)); err != nil {
			return 0, err
		}
		return b[0], nil
	}
	return 0, fmt.Errorf("no mapping of %s holds it", path)
}
