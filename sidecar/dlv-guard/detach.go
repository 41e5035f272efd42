package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// Restoring the bytes is enough for threads that run, and for threads dlv holds at a hit it has
// handled (it has reaped their SIGTRAP stop and set their PC back to the breakpoint): once the
// byte is back they run the original instruction. It is not enough for a thread whose hit dlv is
// still handling: before dlv reaps the stop, the kernel delivers the SIGTRAP when the tracer dies,
// and the Go runtime crashes on it; after, until dlv sets the PC back, the thread would resume one
// byte into the instruction. Only a live dlv can finish that. So when the guard is the one ending
// dlv (the sidecar died, or closed it) and breakpoints are set, it asks dlv to detach, over dlv's
// own JSON-RPC API, and kills it only if that fails.

var listening = regexp.MustCompile(`API server listening at: (\S+)`)

// dlvAPI forwards dlv's output to ours and remembers where dlv's API listens.
type dlvAPI struct {
	mu      sync.Mutex
	address string
}

func (a *dlvAPI) forward(dlvOutput io.Reader) {
	// Lines of any length, and drained even once nobody reads ours: dlv blocks on a full pipe.
	lines := bufio.NewReader(dlvOutput)
	for {
		line, err := lines.ReadBytes('\n')
		if m := listening.FindSubmatch(line); m != nil {
			a.mu.Lock()
			a.address = string(m[1])
			a.mu.Unlock()
		}
		// A write to a dead sidecar fails (SIGPIPE is caught); dlv goes on regardless.
		os.Stdout.Write(line)
		if err != nil {
			return
		}
	}
}

// detach asks dlv to detach from the target, halting it first if it runs: Delve then removes its
// breakpoints and lets every thread go without the signal that stopped it. Gives up at deadline.
//
// Delve halts with a SIGTRAP to the process that only a running target consumes: sent to a halted
// one it stays pending and kills the target once dlv lets go. And Delve's own running flag stays
// set while it finishes a stop. So a halted target is recognised by a State call that waits for
// the target (answered once no command holds it), or, when dlv is busy with a halted target, by
// all its threads being in a tracing stop; only a target that is neither gets the halt.
func (a *dlvAPI) detach(pid int, deadline time.Time) error {
	a.mu.Lock()
	address := a.address
	a.mu.Unlock()
	if address == "" {
		return fmt.Errorf("dlv does not listen yet")
	}
	probe, err := dialDlv(address, deadline)
	if err != nil {
		return err
	}
	defer probe.Close()
	answered := make(chan error, 1)
	go func() { answered <- probe.call("State", map[string]any{"NonBlocking": false}) }()
	select {
	case err := <-answered:
		if err != nil {
			return err
		}
		return probe.call("Detach", map[string]any{"Kill": false})
	case <-time.After(stopSettles):
	}
	// Delve serves one call at a time per connection: the probe's is still waiting.
	rpc, err := dialDlv(address, deadline)
	if err != nil {
		return err
	}
	defer rpc.Close()
	if !haltedByTracer(pid) {
		if err := rpc.call("Command", map[string]any{"name": "halt"}); err != nil {
			return err
		}
	}
	return rpc.call("Detach", map[string]any{"Kill": false})
}

// stopSettles is longer than Delve takes to finish a stop, loading a snapshot's variables included.
const stopSettles = 200 * time.Millisecond

// dlvConn is one JSON-RPC connection to dlv, with calls made one at a time.
type dlvConn struct {
	net.Conn
	answers *json.Decoder
	id      int
}

func dialDlv(address string, deadline time.Time) (*dlvConn, error) {
	conn, err := net.DialTimeout("tcp", address, time.Until(deadline))
	if err != nil {
		return nil, err
	}
	conn.SetDeadline(deadline)
	return &dlvConn{Conn: conn, answers: json.NewDecoder(conn)}, nil
}

func (c *dlvConn) call(method string, params any) error {
	c.id++
	request := map[string]any{"method": "RPCServer." + method, "params": []any{params}, "id": c.id}
	if err := json.NewEncoder(c).Encode(request); err != nil {
		return err
	}
	for {
		var answer struct {
			ID    int
			Error any
		}
		if err := c.answers.Decode(&answer); err != nil {
			return err
		}
		if answer.ID != c.id {
			continue
		}
		if answer.Error != nil {
			return fmt.Errorf("%s: %v", method, answer.Error)
		}
		return nil
	}
}

// haltedByTracer reports whether every thread of pid is in a tracing stop (state t).
func haltedByTracer(pid int) bool {
	tasks, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
	if err != nil {
		return false
	}
	for _, task := range tasks {
		if state(pid, task.Name()) != 't' {
			return false
		}
	}
	return len(tasks) > 0
}
