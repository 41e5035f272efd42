package main

import (
	"bytes"
	"crypto/sha256"
	"runtime"
	"runtime/trace"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A real trace of this test process: one goroutine burning CPU, one blocked on a channel for the
// whole trace, and two forced GC cycles.
func TestSummarizesARealTrace(t *testing.T) {
	blockedID := make(chan int64)
	release := make(chan struct{})
	go blockOnChannel(blockedID, release)
	blocked := <-blockedID
	time.Sleep(20 * time.Millisecond) // parked before the trace starts: its state is restated, not seen changing

	var buf bytes.Buffer
	if err := trace.Start(&buf); err != nil {
		t.Fatal(err)
	}
	busyID := make(chan int64)
	done := make(chan struct{})
	go burn(300*time.Millisecond, busyID, done)
	busy := <-busyID
	runtime.GC()
	runtime.GC()
	<-done
	trace.Stop()
	close(release)

	s, err := Summarize(bytes.NewReader(buf.Bytes()), Options{Focus: map[int64]bool{busy: true, blocked: true, 1 << 40: true}, Top: 3})
	if err != nil {
		t.Fatal(err)
	}
	if s.GCCycles < 2 || s.GCPauses.Count < 4 || s.GCPauses.MaxNs <= 0 || s.GCPauses.P99Ns > s.GCPauses.MaxNs {
		t.Errorf("two forced GCs, yet gcCycles=%d gcPauses=%+v", s.GCCycles, s.GCPauses)
	}
	if s.STWPauses.Count < s.GCPauses.Count {
		t.Errorf("every GC pause stops the world: stw=%+v gc=%+v", s.STWPauses, s.GCPauses)
	}
	if s.Gomaxprocs != uint64(runtime.GOMAXPROCS(0)) || s.HeapGoalBytes == 0 || s.HeapLiveBytes == 0 {
		t.Errorf("metrics not read: gomaxprocs=%d heap=%d goal=%d", s.Gomaxprocs, s.HeapLiveBytes, s.HeapGoalBytes)
	}
	if s.DurationNs < int64(300*time.Millisecond) || s.Goroutines < 2 {
		t.Errorf("duration=%d goroutines=%d", s.DurationNs, s.Goroutines)
	}
	if len(s.Top) == 0 || s.Top[0].ID != busy {
		t.Fatalf("the CPU burner (goroutine %d) should have run longest: %+v", busy, s.Top)
	}
	if len(s.Missing) != 1 || s.Missing[0] != 1<<40 {
		t.Errorf("missing=%v", s.Missing)
	}
	withoutGC, err := Summarize(bytes.NewReader(buf.Bytes()), Options{ExcludeSTW: []string{"GC sweep termination", "GC mark termination"}})
	if err != nil {
		t.Fatal(err)
	}
	if withoutGC.STWPauses.Count != s.STWPauses.Count-s.GCPauses.Count || withoutGC.GCPauses != s.GCPauses {
		t.Errorf("excluding the GC's reasons should leave the other pauses: all=%+v gc=%+v rest=%+v",
			s.STWPauses, s.GCPauses, withoutGC.STWPauses)
	}
	byID := map[int64]Goroutine{}
	for _, g := range s.Focus {
		byID[g.ID] = g
	}
	b := byID[busy]
	if b.RunningNs < int64(200*time.Millisecond) || !strings.Contains(strings.Join(b.Frames, " "), ".burn") {
		t.Errorf("burner: %+v", b)
	}
	w := byID[blocked]
	if w.RunningNs != 0 || w.WaitingNs != s.DurationNs || len(w.Waits) != 1 ||
		w.Waits[0].Reason != "chan receive" || !strings.HasSuffix(w.Waits[0].Frame, ".blockOnChannel") {
		t.Errorf("blocked goroutine should wait the whole trace on its channel receive: %+v (trace %d ns)", w, s.DurationNs)
	}
}

func TestRefusesWhatIsNotATrace(t *testing.T) {
	if _, err := Summarize(strings.NewReader("not a trace"), Options{Top: 3}); err == nil {
		t.Fatal("no error for a file that is not a trace")
	}
}

func TestPercentileIsNearestRank(t *testing.T) {
	values := make([]int64, 200)
	for i := range values {
		values[i] = int64(i + 1)
	}
	d := summarize(values)
	if d.P50Ns != 100 || d.P99Ns != 198 || d.MaxNs != 200 || d.Count != 200 || d.TotalNs != 20100 {
		t.Errorf("%+v", d)
	}
}

var sink [32]byte

func burn(d time.Duration, id chan<- int64, done chan<- struct{}) {
	id <- goroutineID()
	var sum [32]byte
	for end := time.Now().Add(d); time.Now().Before(end); {
		sum = sha256.Sum256(sum[:])
	}
	sink = sum
	close(done)
}

func blockOnChannel(id chan<- int64, release <-chan struct{}) {
	id <- goroutineID()
	<-release
}

func goroutineID() int64 {
	buf := make([]byte, 64)
	fields := strings.Fields(string(buf[:runtime.Stack(buf, false)]))
	id, _ := strconv.ParseInt(fields[1], 10, 64)
	return id
}
