// dlv-guard runs dlv for the gopherscope sidecar and makes sure the debugged process runs on
// whichever of them dies first (DESIGN invariant 1).
//
// Killing dlv makes the kernel detach ptrace, but that alone is not enough: dlv attaches with
// PTRACE_ATTACH, which sends the target a SIGSTOP; a dlv that dies before that stop is consumed
// leaves the target in group-stop, halted for good. So the guard, which outlives dlv, sends the
// target SIGCONT after dlv is gone. It also dies with its parent, the sidecar JVM, even when the
// JVM is SIGKILLed: the kernel then sends the guard SIGTERM and the guard kills dlv and resumes
// the target. dlv in turn dies with the guard.
//
// Breakpoints need more: a trap Delve wrote into the target's code outlives dlv and crashes the
// target at its next hit. The sidecar names each one on the guard's stdin (see traps.go), and
// the guard writes the original bytes back before it resumes the target, and also before it kills
// dlv itself, which it does only after asking dlv to detach (see detach.go).
//
// Usage: dlv-guard TARGET_PID DLV [DLV ARGS...]
package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

// detachTimeout bounds the attempt to have dlv detach before it is killed: well below the 2 s
// the sidecar waits for the guard before killing it, which would kill dlv with it.
const detachTimeout = 800 * time.Millisecond

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: dlv-guard TARGET_PID DLV [DLV ARGS...]")
		os.Exit(2)
	}
	// The target may well be pid 1: in a pod, the ephemeral container shares the app
	// container's PID namespace, where the app is init.
	target, err := strconv.Atoi(os.Args[1])
	if err != nil || target < 1 {
		fmt.Fprintf(os.Stderr, "dlv-guard: %q is not a target pid\n", os.Args[1])
		os.Exit(2)
	}
	// The death signal fires when the parent thread exits; the sidecar starts us from a thread
	// that lives as long as dlv should.
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(syscall.SIGTERM), 0); errno != 0 {
		fmt.Fprintf(os.Stderr, "dlv-guard: cannot ask to die with the sidecar: %v\n", errno)
		os.Exit(1)
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	// Once the sidecar is dead our stdout is a pipe nobody reads: a report written there must
	// fail, not kill the guard before it has resumed the target.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	if os.Getppid() == 1 {
		// The sidecar died between starting us and the prctl above.
		os.Exit(1)
	}

	// Tells the sidecar, before dlv says it listens, that this guard reads breakpoint lines: an
	// older guard would leave them to fill its stdin pipe.
	fmt.Println("dlv-guard: restores breakpoints named on stdin")
	fmt.Println("dlv-guard: restores runtime values named on stdin")
	traps := newTraps(target)
	vals := newValues(target)
	go traps.follow(os.Stdin, vals)

	// Pdeathsig binds to the thread that forks dlv: keep this goroutine on one thread for good.
	runtime.LockOSThread()
	dlv := exec.Command(os.Args[2], os.Args[3:]...)
	// dlv's output passes through us, to learn where its API listens (see detach.go).
	dlvOutput, dlvOut, err := os.Pipe()
	if err != nil {
		fmt.Fprintf(os.Stderr, "dlv-guard: %v\n", err)
		os.Exit(1)
	}
	dlv.Stdout, dlv.Stderr = dlvOut, dlvOut
	dlv.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := dlv.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "dlv-guard: cannot start %s: %v\n", os.Args[2], err)
		os.Exit(1)
	}
	dlvOut.Close()
	api := &dlvAPI{}
	go api.forward(dlvOutput)
	go traps.watch(dlv.Process.Pid)
	fmt.Printf("dlv-guard: dlv pid %d, target pid %d\n", dlv.Process.Pid, target)

	exited := make(chan error, 1)
	go func() { exited <- dlv.Wait() }()
	code := 0
	// The sidecar tells a dlv that died under it (SIGKILLed, OOM-killed) from one it ended by this
	// line, and names the cause in the session's status.
	diedOnItsOwn := func(err error) {
		if err != nil {
			code = 1
		}
		fmt.Printf("dlv-guard: dlv exited on its own: %s\n", describeExit(dlv.ProcessState))
	}
	select {
	case <-signals:
		// A call on dlv's dead socket fails, and the sidecar then ends dlv: told to end a dlv that
		// is already dead (a zombie, or reaped), it still died on its own.
		if s := state(dlv.Process.Pid, ""); s == 'Z' || s == 0 {
			diedOnItsOwn(<-exited)
			break
		}
		// Out with the traps while dlv still holds the target: once dlv is dead its threads run
		// at once, and one could reach a trap before we get to it.
		report(traps.restore())
		reportValues(vals.restore())
		if traps.any() {
			if err := api.detach(target, time.Now().Add(detachTimeout)); err != nil {
				fmt.Fprintf(os.Stderr, "dlv-guard: dlv did not detach (%v), killing it\n", err)
			} else {
				fmt.Println("dlv-guard: dlv detached from the target")
			}
		}
		dlv.Process.Kill()
		<-exited
	case err := <-exited:
		diedOnItsOwn(err)
	}
	// dlv may have put a trap back since (stepping a thread over it does), or died on its own.
	report(traps.restore())
	reportValues(vals.restore())
	resume(target)
	os.Exit(code)
}

// describeExit says how a process ended, with the signal's number as kill(1) and dmesg name it.
func describeExit(state *os.ProcessState) string {
	if status, ok := state.Sys().(syscall.WaitStatus); ok && status.Signaled() {
		return fmt.Sprintf("killed by signal %d (%v)", int(status.Signal()), status.Signal())
	}
	return fmt.Sprintf("exit code %d", state.ExitCode())
}

func report(restored int, err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "dlv-guard: could not restore every breakpoint (restored %d): %v\n", restored, err)
	} else if restored > 0 {
		fmt.Printf("dlv-guard: restored %d breakpoint(s) dlv left in the target\n", restored)
	}
}

// resume sends SIGCONT until the target is no longer stopped (for at most 200 ms): the kernel
// detaches ptrace only once dlv's exit is complete, and a SIGCONT that arrives while the target
// is still in a ptrace stop does not end its group-stop.
func resume(pid int) {
	for i := 0; i < 10; i++ {
		if err := syscall.Kill(pid, syscall.SIGCONT); err != nil {
			return // the target is gone: nothing to resume
		}
		if !stopped(pid) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stopped reports whether the process is in a stop (state T, or t for a ptrace stop).
func stopped(pid int) bool {
	s := state(pid, "")
	return s == 'T' || s == 't'
}

// state is the state letter of a process, or of one of its threads if tid is set; 0 if gone.
func state(pid int, tid string) byte {
	path := "/proc/" + strconv.Itoa(pid) + "/stat"
	if tid != "" {
		path = "/proc/" + strconv.Itoa(pid) + "/task/" + tid + "/stat"
	}
	stat, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	// The state follows the command name, which is in parentheses and may contain spaces.
	for i := len(stat) - 1; i > 0; i-- {
		if stat[i] == ')' && i+2 < len(stat) {
			return stat[i+2]
		}
	}
	return 0
}
