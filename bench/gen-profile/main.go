// gen-profile writes a profile of a chosen shape for the profile-processing benchmark:
//
//	gen-profile [-shape=SHAPE] N OUT.pb.gz
//
// Shapes:
//   - goroutines (default): N parked goroutines, each serving its own trace (unique
//     traceparent/trace_id/span_id labels, as a traced server would have), on 7 distinct stacks;
//   - goroutines-distinct: the same labels, but every goroutine parked on its own stack (up to
//     2^17 distinct stacks, about 36 frames deep);
//   - cpu: a CPU profile of N milliseconds of two workers serving short traced requests (each
//     request its own labels) through 64 distinct stacks;
//   - heap: a heap profile (every allocation sampled) of N live objects allocated from 4096
//     distinct stacks; Go records no labels in heap profiles.
//
// In every labelled shape one goroutine or request in ten has route=/work, the others route=/idle.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
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

// walk descends `level` levels, turning left or right by the bits of path, then runs leaf: each
// path below 2^level is its own stack.
//
//go:noinline
func walk(path, level int, leaf func()) {
	if level == 0 {
		leaf()
		return
	}
	if path&(1<<(level-1)) != 0 {
		left(path, level-1, leaf)
	} else {
		right(path, level-1, leaf)
	}
}

//go:noinline
func left(path, level int, leaf func()) { walk(path, level, leaf) }

//go:noinline
func right(path, level int, leaf func()) { walk(path, level, leaf) }

func main() {
	shape := flag.String("shape", "goroutines", "goroutines, goroutines-distinct, cpu or heap")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: gen-profile [-shape=goroutines|goroutines-distinct|cpu|heap] N OUT.pb.gz")
		os.Exit(2)
	}
	n, err := strconv.Atoi(flag.Arg(0))
	if err != nil || n <= 0 {
		fmt.Fprintln(os.Stderr, "N must be a positive integer")
		os.Exit(2)
	}
	out, err := os.Create(flag.Arg(1))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer out.Close()
	switch *shape {
	case "goroutines":
		err = goroutines(n, out, func(i int) { parkAt(i % 7) })
	case "goroutines-distinct":
		err = goroutines(n, out, func(i int) { walk(i, 17, func() { <-never }) })
	case "cpu":
		err = cpu(time.Duration(n)*time.Millisecond, out)
	case "heap":
		err = heap(n, out)
	default:
		err = fmt.Errorf("unknown shape %q", *shape)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// traceLabels are the labels of request i, as a traced server sets them.
func traceLabels(i int) pprof.LabelSet {
	trace, span := make([]byte, 16), make([]byte, 8)
	rand.Read(trace)
	rand.Read(span)
	traceID, spanID := hex.EncodeToString(trace), hex.EncodeToString(span)
	route := "/idle"
	if i%10 == 0 {
		route = "/work"
	}
	return pprof.Labels("traceparent", "00-"+traceID+"-"+spanID+"-01", "trace_id", traceID,
		"span_id", spanID, "route", route)
}

func goroutines(n int, out *os.File, park func(i int)) error {
	for i := 0; i < n; i++ {
		pprof.Do(context.Background(), traceLabels(i), func(context.Context) { go park(i) })
	}
	time.Sleep(500 * time.Millisecond)
	return pprof.Lookup("goroutine").WriteTo(out, 0)
}

var sink atomic.Uint64

func spin(d time.Duration) {
	var x uint64
	for end := time.Now().Add(d); time.Now().Before(end); {
		for i := 0; i < 1000; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	sink.Add(x)
}

func cpu(d time.Duration, out *os.File) error {
	if err := pprof.StartCPUProfile(out); err != nil {
		return err
	}
	var stop atomic.Bool
	var workers sync.WaitGroup
	for w := 0; w < 2; w++ {
		workers.Add(1)
		go func(w int) {
			defer workers.Done()
			for i := w; !stop.Load(); i += 2 {
				pprof.Do(context.Background(), traceLabels(i), func(context.Context) {
					walk(i, 6, func() { spin(3 * time.Millisecond) })
				})
			}
		}(w)
	}
	time.Sleep(d)
	stop.Store(true)
	workers.Wait()
	pprof.StopCPUProfile()
	return nil
}

var live [][]byte

func heap(n int, out *os.File) error {
	runtime.MemProfileRate = 1
	for i := 0; i < n; i++ {
		walk(i, 12, func() { live = append(live, make([]byte, 16+i%64)) })
	}
	runtime.GC()
	return pprof.Lookup("heap").WriteTo(out, 0)
}
