// trace-summary reads a Go execution trace (what /debug/pprof/trace writes, what `go tool trace`
// opens) with golang.org/x/exp/trace and prints, as one JSON object on stdout, what the
// gopherscope sidecar puts in a session's status: stop-the-world and GC pauses, GC cycles,
// scheduler latency, heap and GOMAXPROCS as the runtime sampled them into the trace, the
// goroutines that ran longest, and, for the goroutine ids given with -goroutines, how their time
// split between running, runnable, syscall and waiting, and on what they waited.
//
// Execution traces carry no pprof labels, so the sidecar finds the goroutines of a session's trace
// id itself (from goroutine profiles taken during the trace) and names them here by id.
//
// Usage: trace-summary [-goroutines ID,ID,...] [-top N] [-exclude-stw REASON,...] TRACE_FILE
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
)

func main() {
	ids := flag.String("goroutines", "", "comma-separated goroutine ids to account for in full")
	top := flag.Int("top", 5, "how many of the longest-running goroutines to list")
	exclude := flag.String("exclude-stw", "", "comma-separated stop-the-world reasons to leave out of stwPauses, "+
		"e.g. the goroutine profiles the sidecar itself took during the trace")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: trace-summary [-goroutines ID,ID,...] [-top N] [-exclude-stw REASON,...] TRACE_FILE")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	focus, err := parseIDs(*ids)
	if err != nil {
		fmt.Fprintf(os.Stderr, "trace-summary: %v\n", err)
		os.Exit(2)
	}
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "trace-summary: %v\n", err)
		os.Exit(1)
	}
	defer f.Close()
	summary, err := Summarize(bufio.NewReaderSize(f, 1<<16), Options{Focus: focus, Top: *top, ExcludeSTW: splitList(*exclude)})
	if err != nil {
		fmt.Fprintf(os.Stderr, "trace-summary: %s is not a readable Go execution trace: %v\n", flag.Arg(0), err)
		os.Exit(1)
	}
	out := json.NewEncoder(os.Stdout)
	if err := out.Encode(summary); err != nil {
		fmt.Fprintf(os.Stderr, "trace-summary: %v\n", err)
		os.Exit(1)
	}
}

func splitList(list string) []string {
	var fields []string
	for _, field := range strings.Split(list, ",") {
		if field = strings.TrimSpace(field); field != "" {
			fields = append(fields, field)
		}
	}
	return fields
}

func parseIDs(list string) (map[int64]bool, error) {
	ids := map[int64]bool{}
	for _, field := range splitList(list) {
		id, err := strconv.ParseInt(field, 10, 64)
		if err != nil || id < 1 {
			return nil, fmt.Errorf("-goroutines: %q is not a goroutine id", field)
		}
		ids[id] = true
	}
	return ids, nil
}
