// gen-profile writes a goroutine profile of N parked goroutines, each serving its own trace
// (unique traceparent/trace_id/span_id labels, as a traced server would have), for the
// profile-processing benchmark: `gen-profile 100000 out.pb.gz`.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"runtime/pprof"
	"strconv"
	"time"
)

var never = make(chan struct{})

// parkAt gives goroutines a few distinct stack depths, so grouping has more than one stack.
func parkAt(depth int) {
	if depth > 0 {
		parkAt(depth - 1)
		return
	}
	<-never
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gen-profile N OUT.pb.gz")
		os.Exit(2)
	}
	n, err := strconv.Atoi(os.Args[1])
	if err != nil || n <= 0 {
		fmt.Fprintln(os.Stderr, "N must be a positive integer")
		os.Exit(2)
	}
	for i := 0; i < n; i++ {
		trace, span := make([]byte, 16), make([]byte, 8)
		rand.Read(trace)
		rand.Read(span)
		traceID, spanID := hex.EncodeToString(trace), hex.EncodeToString(span)
		route := "/idle"
		if i%10 == 0 {
			route = "/work"
		}
		labels := pprof.Labels("traceparent", "00-"+traceID+"-"+spanID+"-01", "trace_id", traceID,
			"span_id", spanID, "route", route)
		pprof.Do(context.Background(), labels, func(context.Context) { go parkAt(i % 7) })
	}
	time.Sleep(500 * time.Millisecond)
	out, err := os.Create(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer out.Close()
	if err := pprof.Lookup("goroutine").WriteTo(out, 0); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
