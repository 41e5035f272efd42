package main

import (
	"errors"
	"io"
	"slices"
	"sort"
	"strings"

	"golang.org/x/exp/trace"
)

// Summary is what the sidecar reads back. Durations are in nanoseconds of the trace's clock.
type Summary struct {
	DurationNs int64 `json:"durationNs"`
	// Sampled by the runtime into the trace (runtime/metrics names); the last value seen, 0 if none.
	Gomaxprocs    uint64 `json:"gomaxprocs"`
	HeapLiveBytes uint64 `json:"heapLiveBytes"`
	HeapGoalBytes uint64 `json:"heapGoalBytes"`
	// GC cycles whose mark phase began inside the trace.
	GCCycles int `json:"gcCycles"`
	// Every stop-the-world the GC made (a cycle makes two: sweep termination and mark termination).
	GCPauses Durations `json:"gcPauses"`
	// Every stop-the-world, whatever stopped the world (GC, GOMAXPROCS, goroutine profile, ...).
	STWPauses Durations `json:"stwPauses"`
	// How long goroutines waited runnable before they ran: the scheduler's latency.
	SchedLatency Durations `json:"schedLatency"`
	// Goroutines alive when the trace ended.
	Goroutines int `json:"goroutines"`
	// The goroutines that ran longest.
	Top []Goroutine `json:"top"`
	// The goroutines asked for with -goroutines that the trace saw, longest-running first.
	Focus []Goroutine `json:"focus"`
	// Goroutine ids asked for that never appeared in the trace.
	Missing []int64 `json:"missing"`
}

// Durations summarises a set of intervals.
type Durations struct {
	Count   int   `json:"count"`
	TotalNs int64 `json:"totalNs"`
	MaxNs   int64 `json:"maxNs"`
	P50Ns   int64 `json:"p50Ns"`
	P99Ns   int64 `json:"p99Ns"`
}

// Goroutine is how one goroutine spent the traced time.
type Goroutine struct {
	ID         int64 `json:"id"`
	RunningNs  int64 `json:"runningNs"`
	RunnableNs int64 `json:"runnableNs"`
	SyscallNs  int64 `json:"syscallNs"`
	WaitingNs  int64 `json:"waitingNs"`
	// The innermost frames outside the runtime of the last stack the trace recorded for it.
	Frames []string `json:"frames"`
	// What it waited on, longest first.
	Waits []Wait `json:"waits"`
}

// Wait is the time a goroutine spent blocked for one reason at one place.
type Wait struct {
	Reason string `json:"reason"`
	Frame  string `json:"frame"`
	Count  int    `json:"count"`
	Ns     int64  `json:"ns"`
}

const (
	maxFrames = 32
	maxWaits  = 3
)

type waitKey struct{ reason, frame string }

type goroutineState struct {
	id    int64
	state trace.GoState
	since trace.Time
	// Runnable entered from a known state, so the wait until running is a true latency.
	queued bool
	wait   waitKey
	frames []string
	spent  map[trace.GoState]int64
	waits  map[waitKey]*Wait
}

// Options say what to report beyond the whole-process figures.
type Options struct {
	// Focus names goroutines to account for in full.
	Focus map[int64]bool
	// Top is how many of the longest-running goroutines to list.
	Top int
	// ExcludeSTW lists stop-the-world reasons (as in "stop-the-world (REASON)") left out of STWPauses.
	ExcludeSTW []string
}

// Summarize reads a whole trace.
func Summarize(r io.Reader, opts Options) (*Summary, error) {
	focus, top := opts.Focus, opts.Top
	reader, err := trace.NewReader(r)
	if err != nil {
		return nil, err
	}
	goroutines := map[int64]*goroutineState{}
	stwStarts := map[string]trace.Time{}
	var gcPauses, stwPauses, latencies []int64
	s := &Summary{}
	var first, last trace.Time
	seen := false
	for {
		ev, err := reader.ReadEvent()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		now := ev.Time()
		if !seen {
			first, seen = now, true
		}
		last = now
		switch ev.Kind() {
		case trace.EventStateTransition:
			st := ev.StateTransition()
			if st.Resource.Kind != trace.ResourceGoroutine {
				continue
			}
			id := int64(st.Resource.Goroutine())
			from, to := st.Goroutine()
			g := goroutines[id]
			// The runtime states a goroutine only when it first does something in a generation, or
			// at the next generation: one first stated now has been in this state since before the
			// trace began.
			since := now
			if g == nil {
				g = &goroutineState{id: id, spent: map[trace.GoState]int64{}, waits: map[waitKey]*Wait{}}
				goroutines[id] = g
				if from == trace.GoUndetermined {
					since = first
				}
			} else if g.state != trace.GoUndetermined && g.state != trace.GoNotExist {
				g.account(now)
			}
			if from == to {
				// A new generation restating the state: nothing happened.
				g.since = now
				continue
			}
			if from == trace.GoRunnable && to == trace.GoRunning && g.queued {
				latencies = append(latencies, int64(now.Sub(g.since)))
			}
			g.queued = to == trace.GoRunnable && from != trace.GoUndetermined
			if frames := userFrames(st.Stack); len(frames) > 0 {
				g.frames = frames
			}
			if to == trace.GoWaiting {
				frame := ""
				if len(g.frames) > 0 {
					frame = g.frames[0]
				}
				reason := st.Reason
				if reason == "" {
					reason = blockedIn(st.Stack)
				}
				g.wait = waitKey{reason, frame}
			}
			g.state, g.since = to, since
		case trace.EventRangeBegin:
			if name := ev.Range().Name; strings.HasPrefix(name, "stop-the-world (") {
				stwStarts[name] = now
			} else if name == "GC concurrent mark phase" {
				s.GCCycles++
			}
		case trace.EventRangeEnd:
			name := ev.Range().Name
			start, ok := stwStarts[name]
			if !ok {
				continue // began before the trace did: its length is unknown
			}
			delete(stwStarts, name)
			pause := int64(now.Sub(start))
			reason := strings.TrimSuffix(strings.TrimPrefix(name, "stop-the-world ("), ")")
			if !slices.Contains(opts.ExcludeSTW, reason) {
				stwPauses = append(stwPauses, pause)
			}
			if strings.HasPrefix(reason, "GC") {
				gcPauses = append(gcPauses, pause)
			}
		case trace.EventMetric:
			m := ev.Metric()
			switch m.Name {
			case "/sched/gomaxprocs:threads":
				s.Gomaxprocs = m.Value.Uint64()
			case "/memory/classes/heap/objects:bytes":
				s.HeapLiveBytes = m.Value.Uint64()
			case "/gc/heap/goal:bytes":
				s.HeapGoalBytes = m.Value.Uint64()
			}
		}
	}
	s.DurationNs = int64(last.Sub(first))
	s.GCPauses = summarize(gcPauses)
	s.STWPauses = summarize(stwPauses)
	s.SchedLatency = summarize(latencies)

	all := make([]*goroutineState, 0, len(goroutines))
	for _, g := range goroutines {
		if g.state != trace.GoUndetermined && g.state != trace.GoNotExist {
			g.account(last)
			s.Goroutines++
		}
		all = append(all, g)
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i].spent[trace.GoRunning], all[j].spent[trace.GoRunning]
		return a > b || a == b && all[i].id < all[j].id
	})
	s.Top, s.Focus, s.Missing = []Goroutine{}, []Goroutine{}, []int64{}
	for _, g := range all {
		if len(s.Top) < top && g.spent[trace.GoRunning] > 0 {
			s.Top = append(s.Top, g.report())
		}
		if focus[g.id] {
			s.Focus = append(s.Focus, g.report())
		}
	}
	for id := range focus {
		if goroutines[id] == nil {
			s.Missing = append(s.Missing, id)
		}
	}
	slices.Sort(s.Missing)
	return s, nil
}

// account adds the time since the goroutine's last transition to its current state.
func (g *goroutineState) account(now trace.Time) {
	d := int64(now.Sub(g.since))
	g.spent[g.state] += d
	if g.state == trace.GoWaiting {
		w := g.waits[g.wait]
		if w == nil {
			w = &Wait{Reason: g.wait.reason, Frame: g.wait.frame}
			g.waits[g.wait] = w
		}
		w.Count++
		w.Ns += d
	}
}

func (g *goroutineState) report() Goroutine {
	waits := make([]Wait, 0, len(g.waits))
	for _, w := range g.waits {
		waits = append(waits, *w)
	}
	sort.Slice(waits, func(i, j int) bool {
		return waits[i].Ns > waits[j].Ns || waits[i].Ns == waits[j].Ns && waits[i].Frame < waits[j].Frame
	})
	if len(waits) > maxWaits {
		waits = waits[:maxWaits]
	}
	frames := g.frames
	if frames == nil {
		frames = []string{}
	}
	return Goroutine{
		ID:         g.id,
		RunningNs:  g.spent[trace.GoRunning],
		RunnableNs: g.spent[trace.GoRunnable],
		SyscallNs:  g.spent[trace.GoSyscall],
		WaitingNs:  g.spent[trace.GoWaiting],
		Frames:     frames,
		Waits:      waits,
	}
}

// userFrames are the innermost frames of a stack that are not the runtime's own (gopark,
// chanrecv, ...): where the goroutine's code was.
func userFrames(stack trace.Stack) []string {
	var frames []string
	for f := range stack.Frames() {
		if len(frames) == 0 && isRuntime(f.Func) {
			continue
		}
		frames = append(frames, f.Func)
		if len(frames) == maxFrames {
			break
		}
	}
	return frames
}

// blockedIn names what a goroutine stated as waiting (so with no reason recorded) is blocked
// on, from the runtime function under gopark.
func blockedIn(stack trace.Stack) string {
	for f := range stack.Frames() {
		switch name := strings.TrimPrefix(f.Func, "runtime."); {
		case name == "gopark" || name == "goparkunlock":
			continue
		case strings.HasPrefix(name, "chanrecv"):
			return "chan receive"
		case strings.HasPrefix(name, "chansend"):
			return "chan send"
		case name == "selectgo" || name == "block":
			return "select"
		case strings.HasPrefix(name, "semacquire") || name == "notifyListWait":
			return "sync"
		case name == "netpollblock":
			return "network"
		case name == "timeSleep":
			return "sleep"
		default:
			return "in " + f.Func
		}
	}
	return "unknown"
}

func isRuntime(function string) bool {
	return strings.HasPrefix(function, "runtime.") || strings.HasPrefix(function, "internal/") ||
		strings.HasPrefix(function, "sync.runtime_") || strings.HasPrefix(function, "time.Sleep")
}

func summarize(durations []int64) Durations {
	if len(durations) == 0 {
		return Durations{}
	}
	slices.Sort(durations)
	d := Durations{Count: len(durations), MaxNs: durations[len(durations)-1]}
	for _, v := range durations {
		d.TotalNs += v
	}
	d.P50Ns = percentile(durations, 50)
	d.P99Ns = percentile(durations, 99)
	return d
}

// percentile is the nearest-rank percentile of sorted values.
func percentile(sorted []int64, p int) int64 {
	rank := (p*len(sorted) + 99) / 100
	if rank < 1 {
		rank = 1
	}
	return sorted[rank-1]
}
