package main

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Each workload lives in a named function so that it is recognisable in
// stacks and profiles; the handlers only parse parameters and report.

// maxWait caps every duration parameter: long enough to attach a debugger to
// a stuck request, short enough that a typo cannot park a goroutine for a day.
const maxWait = 10 * 60 * 1000 // ms

func handleCPU(w http.ResponseWriter, r *http.Request) {
	ms, ok := intParam(w, r, "ms", 100, 60_000)
	if !ok {
		return
	}
	sum := burnCPU(time.Duration(ms) * time.Millisecond)
	fmt.Fprintf(w, "cpu ms=%d sum=%x\n", ms, sum[:4])
}

// burnCPU hashes in a tight loop so CPU samples land in this function.
func burnCPU(d time.Duration) [32]byte {
	deadline := time.Now().Add(d)
	var sum [32]byte
	for time.Now().Before(deadline) {
		for i := 0; i < 256; i++ {
			sum = sha256.Sum256(sum[:])
		}
	}
	return sum
}

func handleBlock(w http.ResponseWriter, r *http.Request) {
	ms, ok := intParam(w, r, "ms", 1000, maxWait)
	if !ok {
		return
	}
	waitOnChannel(time.Duration(ms) * time.Millisecond)
	fmt.Fprintf(w, "block ms=%d\n", ms)
}

// waitOnChannel parks on a plain channel receive, the state of a goroutine
// waiting for a result that has not come. It deliberately ignores request
// cancellation, as stuck code often does.
func waitOnChannel(d time.Duration) {
	done := make(chan struct{})
	time.AfterFunc(d, func() { close(done) })
	<-done
}

// contended is held by holdLock and wanted by waitOnLock, so the block
// profile shows the waiter and the mutex profile shows the holder.
var contended sync.Mutex

func handleLock(w http.ResponseWriter, r *http.Request) {
	ms, ok := intParam(w, r, "ms", 500, maxWait)
	if !ok {
		return
	}
	held := make(chan struct{})
	go holdLock(time.Duration(ms)*time.Millisecond, held)
	<-held
	waited := waitOnLock()
	fmt.Fprintf(w, "lock ms=%d waited_ms=%d\n", ms, waited.Milliseconds())
}

func holdLock(d time.Duration, held chan<- struct{}) {
	contended.Lock()
	close(held)
	time.Sleep(d)
	contended.Unlock()
}

func waitOnLock() time.Duration {
	start := time.Now()
	contended.Lock()
	defer contended.Unlock()
	return time.Since(start)
}

func handleSleep(w http.ResponseWriter, r *http.Request) {
	ms, ok := intParam(w, r, "ms", 1000, maxWait)
	if !ok {
		return
	}
	sleepFor(time.Duration(ms) * time.Millisecond)
	fmt.Fprintf(w, "sleep ms=%d\n", ms)
}

func sleepFor(d time.Duration) {
	time.Sleep(d)
}

// allocRing keeps the most recent chunks reachable so that the heap profile
// (in-use) shows allocate, not only the allocs profile (cumulative).
var allocRing struct {
	sync.Mutex
	chunks [16][]byte
	next   int
}

const chunkSize = 1 << 20

func handleAlloc(w http.ResponseWriter, r *http.Request) {
	mb, ok := intParam(w, r, "mb", 1, 1024)
	if !ok {
		return
	}
	allocate(mb)
	fmt.Fprintf(w, "alloc mb=%d\n", mb)
}

func allocate(mb int) {
	for i := 0; i < mb; i++ {
		chunk := make([]byte, chunkSize)
		// Touch every page so the chunk costs resident memory, as real data would.
		for p := 0; p < len(chunk); p += 4096 {
			chunk[p] = byte(i)
		}
		allocRing.Lock()
		allocRing.chunks[allocRing.next] = chunk
		allocRing.next = (allocRing.next + 1) % len(allocRing.chunks)
		allocRing.Unlock()
	}
}

// retained holds what /work/retain keeps for good: the shape of a cache without eviction, whose
// in-use heap only grows between heap snapshots.
var retained struct {
	sync.Mutex
	chunks [][]byte
}

func handleRetain(w http.ResponseWriter, r *http.Request) {
	kb, ok := intParam(w, r, "kb", 64, 64*1024)
	if !ok {
		return
	}
	total := retainForever(kb)
	fmt.Fprintf(w, "retain kb=%d retained_kb=%d\n", kb, total/1024)
}

func retainForever(kb int) int {
	chunk := make([]byte, kb*1024)
	for p := 0; p < len(chunk); p += 4096 {
		chunk[p] = 1
	}
	retained.Lock()
	defer retained.Unlock()
	retained.chunks = append(retained.chunks, chunk)
	total := 0
	for _, c := range retained.chunks {
		total += len(c)
	}
	return total
}

func handleFanout(w http.ResponseWriter, r *http.Request) {
	n, ok := intParam(w, r, "n", 10, 10_000)
	if !ok {
		return
	}
	ms, ok := intParam(w, r, "ms", 1000, maxWait)
	if !ok {
		return
	}
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		// No labels are passed: the children inherit the request's pprof
		// labels from this goroutine, as any library's goroutines would.
		go fanoutWorker(&wg, time.Duration(ms)*time.Millisecond)
	}
	wg.Wait()
	fmt.Fprintf(w, "fanout n=%d ms=%d\n", n, ms)
}

func fanoutWorker(wg *sync.WaitGroup, d time.Duration) {
	defer wg.Done()
	<-time.After(d)
}

// leakedCount counts goroutines started by /work/leak; they never exit.
var leakedCount atomic.Int64

func handleLeak(w http.ResponseWriter, r *http.Request) {
	n, ok := intParam(w, r, "n", 1, 100_000)
	if !ok {
		return
	}
	// A channel per request that nothing else references: the goroutines
	// are unreachable, the shape of a real leak (and of what Go's goroutine
	// leak detection looks for).
	never := make(chan struct{})
	for i := 0; i < n; i++ {
		go leakedWorker(never)
	}
	total := leakedCount.Add(int64(n))
	fmt.Fprintf(w, "leak n=%d leaked=%d\n", n, total)
}

func leakedWorker(never <-chan struct{}) {
	<-never
}

// intParam reads an integer query parameter in [0, max], answering 400 and
// returning false when it is malformed or out of range.
func intParam(w http.ResponseWriter, r *http.Request, name string, def, max int) (int, bool) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return def, true
	}
	v, err := strconv.Atoi(raw)
	if err != nil || v < 0 || v > max {
		http.Error(w, fmt.Sprintf("%s must be an integer in [0, %d]", name, max), http.StatusBadRequest)
		return 0, false
	}
	return v, true
}
