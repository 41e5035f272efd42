package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"runtime/pprof"
	"strings"
)

// traceContext is the part of a W3C traceparent the labels need.
type traceContext struct {
	header  string // the full traceparent value, as received or generated
	traceID string // 32 lowercase hex digits
	spanID  string // 16 lowercase hex digits
}

// traced runs h under pprof labels naming the request's trace and route.
// pprof.Do labels the handler's goroutine for the goroutine and CPU profiles,
// and every goroutine the handler starts inherits the labels, which is what
// lets gopherscope find all goroutines working for one trace.
func traced(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tc, ok := parseTraceparent(r.Header.Get("traceparent"))
		if !ok {
			// Start a trace as an OpenTelemetry SDK would for an untraced
			// request, so every request can be found by trace id.
			tc = newTraceContext()
		}
		w.Header().Set("traceparent", tc.header)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		labels := pprof.Labels(
			"traceparent", tc.header,
			"trace_id", tc.traceID,
			"span_id", tc.spanID,
			"route", route,
		)
		pprof.Do(r.Context(), labels, func(ctx context.Context) {
			h.ServeHTTP(w, r.WithContext(ctx))
		})
	})
}

// parseTraceparent accepts a W3C Trace Context traceparent:
// version "-" trace-id "-" parent-id "-" trace-flags, all lowercase hex.
// Following the spec, a version above 00 may carry more fields after a dash;
// version ff and all-zero ids are invalid.
func parseTraceparent(v string) (traceContext, bool) {
	const size = 55 // 2+1+32+1+16+1+2
	if len(v) < size || v[2] != '-' || v[35] != '-' || v[52] != '-' {
		return traceContext{}, false
	}
	version, traceID, spanID, flags := v[0:2], v[3:35], v[36:52], v[53:55]
	if !isLowerHex(version) || !isLowerHex(traceID) || !isLowerHex(spanID) || !isLowerHex(flags) {
		return traceContext{}, false
	}
	switch {
	case version == "ff":
		return traceContext{}, false
	case version == "00" && len(v) != size:
		return traceContext{}, false
	case len(v) > size && v[size] != '-':
		return traceContext{}, false
	case isZero(traceID) || isZero(spanID):
		return traceContext{}, false
	}
	return traceContext{header: v, traceID: traceID, spanID: spanID}, true
}

// newTraceContext makes a sampled root traceparent with random ids.
func newTraceContext() traceContext {
	traceID := randomHex(16)
	spanID := randomHex(8)
	return traceContext{
		header:  "00-" + traceID + "-" + spanID + "-01",
		traceID: traceID,
		spanID:  spanID,
	}
}

func randomHex(bytes int) string {
	b := make([]byte, bytes)
	for {
		rand.Read(b) // never returns an error since Go 1.24
		if s := hex.EncodeToString(b); !isZero(s) {
			return s
		}
	}
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func isZero(s string) bool {
	return strings.Trim(s, "0") == ""
}
