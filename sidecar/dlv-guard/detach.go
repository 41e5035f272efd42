package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"sync"
	"time"
)

// A goroutine stopped at a breakpoint when dlv dies is lost whatever the guard does: the kernel
// holds its SIGTRAP while dlv has it stopped, and when the tracer dies it lets the thread run
// with that signal, which the Go runtime answers by crashing the process, before the guard even
// learns that dlv is gone. Only a live dlv can drop that signal, by detaching. So when the guard
// is the one ending dlv (the sidecar died, or asked it to) and breakpoints are set, it first asks
// dlv to detach, over dlv's own JSON-RPC API, and kills it only if that fails.

var listening = regexp.MustCompile(`API server listening at: (\S+)`)

// dlvAPI forwards dlv's output to ours and remembers where dlv's API listens.
type dlvAPI struct {
	mu      sync.Mutex
	address string
}

func (a *dlvAPI) forward(dlvOutput io.Reader) {
	lines := bufio.NewScanner(dlvOutput)
	for lines.Scan() {
		if m := listening.FindStringSubmatch(lines.Text()); m != nil {
			a.mu.Lock()
			a.address = m[1]
			a.mu.Unlock()
		}
		// A write to a dead sidecar fails (SIGPIPE is caught); dlv goes on regardless.
		os.Stdout.Write(append(lines.Bytes(), '\n'))
	}
}

// detach asks dlv to halt the target if it runs, then to detach from it: Delve then removes its
// breakpoints and lets every thread go without the signal that stopped it. Gives up at deadline.
func (a *dlvAPI) detach(deadline time.Time) error {
	a.mu.Lock()
	address := a.address
	a.mu.Unlock()
	if address == "" {
		return fmt.Errorf("dlv does not listen yet")
	}
	conn, err := net.DialTimeout("tcp", address, time.Until(deadline))
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(deadline)
	answers := json.NewDecoder(conn)
	id := 0
	call := func(method string, params, result any) error {
		id++
		request := map[string]any{"method": "RPCServer." + method, "params": []any{params}, "id": id}
		if err := json.NewEncoder(conn).Encode(request); err != nil {
			return err
		}
		for {
			var answer struct {
				ID     int
				Result json.RawMessage
				Error  any
			}
			if err := answers.Decode(&answer); err != nil {
				return err
			}
			if answer.ID != id {
				continue
			}
			if answer.Error != nil {
				return fmt.Errorf("%s: %v", method, answer.Error)
			}
			if result == nil {
				return nil
			}
			return json.Unmarshal(answer.Result, result)
		}
	}
	var state struct{ State struct{ Running bool } }
	if err := call("State", map[string]any{"NonBlocking": true}, &state); err != nil {
		return err
	}
	// Delve detaches only a halted target. Its halt sends the target a SIGTRAP that only a running
	// target consumes, hence the check: on a halted one it would kill the target once detached.
	if state.State.Running {
		if err := call("Command", map[string]any{"name": "halt"}, nil); err != nil {
			return err
		}
	}
	return call("Detach", map[string]any{"Kill": false}, nil)
}
