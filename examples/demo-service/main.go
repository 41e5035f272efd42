// Command demo-service is the Go workload that gopherscope's tests and demo
// debug and profile. Every endpoint does one recognisable thing in a named
// function, so a goroutine dump, a profile or a Delve stack shows at a glance
// which workload a goroutine belongs to, and every request carries its W3C
// traceparent as pprof labels, so captures can be filtered by trace.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	httppprof "net/http/pprof"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "app HTTP listen address (port 0 picks a free port)")
	pprofAddr := flag.String("pprof-addr", "127.0.0.1:6060", "net/http/pprof listen address (port 0 picks a free port)")
	idle := flag.Int("idle", 0, "number of idle goroutines to park at startup")
	heartbeat := flag.Duration("heartbeat", 10*time.Millisecond, "heartbeat tick interval; 0 disables")
	contention := flag.Bool("contention-profiling", true, "record every blocking and mutex contention event")
	flag.Parse()
	if *idle < 0 {
		log.Fatalf("-idle must be >= 0, got %d", *idle)
	}
	if *heartbeat < 0 {
		log.Fatalf("-heartbeat must be >= 0, got %s", *heartbeat)
	}

	if *contention {
		// Both profiles are empty unless enabled; rate 1 records every event,
		// which a demo can afford and which makes short tests deterministic.
		runtime.SetBlockProfileRate(1)
		runtime.SetMutexProfileFraction(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	// Listen before printing so the ready line can report the real ports
	// when port 0 was asked for, and so a client that reads it can connect.
	appLn, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("listen app: %v", err)
	}
	pprofLn, err := net.Listen("tcp", *pprofAddr)
	if err != nil {
		log.Fatalf("listen pprof: %v", err)
	}

	startIdleWorkers(*idle)
	if *heartbeat > 0 {
		go runHeartbeat(ctx, *heartbeat)
	}

	appSrv := &http.Server{Handler: appMux(), ReadHeaderTimeout: 10 * time.Second}
	pprofSrv := &http.Server{Handler: pprofMux(), ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 2)
	go func() { serveErr <- appSrv.Serve(appLn) }()
	go func() { serveErr <- pprofSrv.Serve(pprofLn) }()

	// os.Stdout is unbuffered, so this line reaches a pipe reader at once.
	fmt.Fprintf(os.Stdout, "demo-service ready app=%s pprof=%s pid=%d\n", appLn.Addr(), pprofLn.Addr(), os.Getpid())

	select {
	case <-ctx.Done():
		log.Printf("signal received, shutting down")
	case err := <-serveErr:
		log.Printf("server stopped: %v", err)
	}
	// Requests may be parked on purpose (e.g. /work/block for minutes), so
	// give them a short grace period and then close their connections.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, srv := range []*http.Server{appSrv, pprofSrv} {
		if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			srv.Close()
		}
	}
}

// pprofMux serves net/http/pprof on its own mux and port: profiling must not
// be reachable on the app's public address, and gopherscope reads it on the
// pod's loopback. Importing net/http/pprof also registers these handlers on
// http.DefaultServeMux, which this program never serves.
func pprofMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", httppprof.Index) // also serves goroutine, heap, allocs, block, mutex, ...
	mux.HandleFunc("/debug/pprof/cmdline", httppprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", httppprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", httppprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", httppprof.Trace)
	return mux
}

// idleBlock is never closed: idle workers stand for the many parked
// goroutines (connection readers, pool workers) of a real service, which a
// debugger must page through or filter out.
var idleBlock = make(chan struct{})

// idleLabelBuckets bounds the worker label's cardinality; a profile with a
// distinct label set per goroutine would not group at all.
const idleLabelBuckets = 100

func startIdleWorkers(n int) {
	for b := 0; b < idleLabelBuckets && b < n; b++ {
		labels := pprof.Labels("route", "/idle", "worker", strconv.Itoa(b))
		// Goroutines started inside pprof.Do inherit its labels, so the
		// label set is built once per bucket rather than once per goroutine.
		pprof.Do(context.Background(), labels, func(context.Context) {
			for i := b; i < n; i += idleLabelBuckets {
				go idleWorker()
			}
		})
	}
}

func idleWorker() {
	<-idleBlock
}

// heartbeat measures how long the process stopped running, e.g. while a
// debugger held it halted: the largest gap between ticks is the longest pause.
var heartbeatState struct {
	ticks        atomic.Int64
	maxGapNanos  atomic.Int64
	lastTickUnix atomic.Int64 // milliseconds
}

func runHeartbeat(ctx context.Context, interval time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			// Read the clock here rather than trusting the tick's timestamp:
			// a halted process receives late ticks, and the lateness is the point.
			now := time.Now()
			if gap := now.Sub(last).Nanoseconds(); gap > heartbeatState.maxGapNanos.Load() {
				heartbeatState.maxGapNanos.Store(gap)
			}
			last = now
			heartbeatState.ticks.Add(1)
			heartbeatState.lastTickUnix.Store(now.UnixMilli())
		}
	}
}

func handleHeartbeat(w http.ResponseWriter, _ *http.Request) {
	fmt.Fprintf(w, "ticks=%d max_gap_ms=%.3f last_tick_unix_ms=%d\n",
		heartbeatState.ticks.Load(),
		float64(heartbeatState.maxGapNanos.Load())/1e6,
		heartbeatState.lastTickUnix.Load())
}

func handleStats(w http.ResponseWriter, _ *http.Request) {
	fmt.Fprintf(w, "goroutines=%d leaked=%d\n", runtime.NumGoroutine(), leakedCount.Load())
}

func handleHealthz(w http.ResponseWriter, _ *http.Request) {
	fmt.Fprintln(w, "ok")
}

// appMux registers each route through the tracing middleware with its fixed
// pattern as the route label, so unknown paths cannot inflate label values.
func appMux() *http.ServeMux {
	mux := http.NewServeMux()
	routes := []struct {
		path    string
		handler http.HandlerFunc
	}{
		{"/healthz", handleHealthz},
		{"/heartbeat", handleHeartbeat},
		{"/stats", handleStats},
		{"/work/cpu", handleCPU},
		{"/work/block", handleBlock},
		{"/work/lock", handleLock},
		{"/work/sleep", handleSleep},
		{"/work/alloc", handleAlloc},
		{"/work/retain", handleRetain},
		{"/work/fanout", handleFanout},
		{"/work/leak", handleLeak},
	}
	for _, r := range routes {
		mux.Handle("GET "+r.path, traced(r.path, r.handler))
	}
	return mux
}
