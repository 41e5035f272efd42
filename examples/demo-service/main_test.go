package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"runtime/pprof"
	"strings"
	"testing"
	"time"
)

const validTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

func TestParseTraceparentAcceptsValidHeader(t *testing.T) {
	tc, ok := parseTraceparent(validTraceparent)
	if !ok {
		t.Fatalf("valid traceparent rejected")
	}
	if tc.header != validTraceparent || tc.traceID != "4bf92f3577b34da6a3ce929d0e0e4736" || tc.spanID != "00f067aa0ba902b7" {
		t.Fatalf("parsed %+v", tc)
	}
}

func TestParseTraceparentAcceptsFutureVersionWithExtraFields(t *testing.T) {
	if _, ok := parseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"); !ok {
		t.Fatalf("a higher version with extra fields must be accepted")
	}
}

func TestParseTraceparentRejectsMalformedHeaders(t *testing.T) {
	for name, v := range map[string]string{
		"empty":            "",
		"garbage":          "not-a-traceparent",
		"short trace id":   "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
		"uppercase hex":    "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
		"zero trace id":    "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
		"zero span id":     "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
		"version ff":       "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
		"00 with trailer":  validTraceparent + "-extra",
		"wrong separators": "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
		"non-hex flags":    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-zz",
	} {
		if tc, ok := parseTraceparent(v); ok {
			t.Errorf("%s: %q accepted as %+v", name, v, tc)
		}
	}
}

func TestMiddlewareKeepsValidTraceparentAndLabelsTheHandler(t *testing.T) {
	var labels map[string]string
	h := traced("/test", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		labels = map[string]string{}
		for _, k := range []string{"traceparent", "trace_id", "span_id", "route"} {
			labels[k], _ = pprof.Label(r.Context(), k)
		}
	}))

	rec := serve(h, validTraceparent)

	if got := rec.Header().Get("traceparent"); got != validTraceparent {
		t.Errorf("response traceparent = %q, want the request's", got)
	}
	want := map[string]string{
		"traceparent": validTraceparent,
		"trace_id":    "4bf92f3577b34da6a3ce929d0e0e4736",
		"span_id":     "00f067aa0ba902b7",
		"route":       "/test",
	}
	for k, v := range want {
		if labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, labels[k], v)
		}
	}
}

func TestMiddlewareReplacesMissingOrMalformedTraceparent(t *testing.T) {
	for _, in := range []string{"", "00-zzzz-00f067aa0ba902b7-01"} {
		var traceID string
		h := traced("/test", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			traceID, _ = pprof.Label(r.Context(), "trace_id")
		}))

		rec := serve(h, in)

		out := rec.Header().Get("traceparent")
		tc, ok := parseTraceparent(out)
		if !ok {
			t.Fatalf("input %q: response traceparent %q is not valid", in, out)
		}
		if tc.traceID != traceID {
			t.Errorf("input %q: label trace_id %q differs from response %q", in, traceID, tc.traceID)
		}
	}
}

// The fan-out workload relies on child goroutines inheriting the request's
// labels; check it where it matters, in the goroutine profile.
func TestFanoutWorkersCarryRequestLabels(t *testing.T) {
	h := traced("/work/fanout", http.HandlerFunc(handleFanout))
	done := make(chan struct{})
	go func() {
		defer close(done)
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/work/fanout?n=3&ms=1000", nil)
		req.Header.Set("traceparent", validTraceparent)
		h.ServeHTTP(rec, req)
	}()
	defer func() { <-done }()

	wantLabel := `"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"`
	deadline := time.Now().Add(900 * time.Millisecond)
	for time.Now().Before(deadline) {
		var buf bytes.Buffer
		pprof.Lookup("goroutine").WriteTo(&buf, 1)
		// debug=1 prints one record per distinct stack and label set:
		// "3 @ ...", then "# labels: {...}", then the frames. The first
		// record follows the "goroutine profile: total N" header line.
		for _, record := range strings.Split(buf.String(), "\n\n") {
			if strings.Contains("\n"+record, "\n3 @") && strings.Contains(record, wantLabel) &&
				strings.Contains(record, ".fanoutWorker+") {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no record of 3 fanoutWorker goroutines labelled %s", wantLabel)
}

func serve(h http.Handler, traceparent string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/test", nil).WithContext(context.Background())
	if traceparent != "" {
		req.Header.Set("traceparent", traceparent)
	}
	h.ServeHTTP(rec, req)
	return rec
}

func TestRetainForeverKeepsEverythingItAllocated(t *testing.T) {
	before := retainForever(1)
	after := retainForever(3)
	if after-before != 3*1024 {
		t.Fatalf("retained %d bytes more after retaining 3 KiB, want %d", after-before, 3*1024)
	}
}
