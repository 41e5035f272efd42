package dev.gopherscope.sidecar.delve;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The parts of Delve's JSON-RPC v2 types ({@code service/api}, {@code service/rpc2}) that the
 * sidecar reads or sends. Field names follow Delve's Go structs and their json tags exactly.
 */
public final class DelveTypes {

  private DelveTypes() {
  }

  public record Function(@JsonProperty("name") String name, @JsonProperty("value") long value) {
  }

  public record Location(@JsonProperty("pc") long pc, @JsonProperty("file") String file,
      @JsonProperty("line") int line, @JsonProperty("function") Function function) {

    /** The function name, or {@code ???} when Delve could not resolve it (as Delve prints it). */
    public String functionName() {
      return function == null ? "???" : function.name();
    }
  }

  public record Goroutine(
      @JsonProperty("id") long id,
      @JsonProperty("currentLoc") Location currentLoc,
      @JsonProperty("userCurrentLoc") Location userCurrentLoc,
      @JsonProperty("goStatementLoc") Location goStatementLoc,
      @JsonProperty("startLoc") Location startLoc,
      @JsonProperty("threadID") int threadId,
      @JsonProperty("status") long status,
      @JsonProperty("waitSince") long waitSince,
      @JsonProperty("waitReason") long waitReason,
      @JsonProperty("unreadable") String unreadable,
      @JsonProperty("labels") Map<String, String> labels) {

    public Map<String, String> labelsOrEmpty() {
      return labels == null ? Map.of() : labels;
    }
  }

  public record Stackframe(
      @JsonProperty("pc") long pc, @JsonProperty("file") String file, @JsonProperty("line") int line,
      @JsonProperty("function") Function function,
      @JsonProperty("Bottom") boolean bottom,
      @JsonProperty("Err") String error) {

    public String functionName() {
      return function == null ? "???" : function.name();
    }
  }

  public record DebuggerState(
      @JsonProperty("Pid") int pid,
      @JsonProperty("Running") boolean running,
      @JsonProperty("exited") boolean exited,
      @JsonProperty("exitStatus") int exitStatus,
      @JsonProperty("stopReason") String stopReason) {
  }

  /** What {@code ListGoroutines} filters on; the ordinal is Delve's {@code api.GoroutineField}. */
  public enum GoroutineField {
    NONE, CURRENT_LOC, USER_LOC, GO_LOC, START_LOC, LABEL, RUNNING, USER, WAITING_ON_CHANNEL
  }

  /** One server-side filter: {@code LABEL} with {@code "key=value"} matches a pprof label exactly. */
  public record GoroutineFilter(GoroutineField kind, boolean negated, String arg) {

    public static GoroutineFilter label(String key, String value) {
      return new GoroutineFilter(GoroutineField.LABEL, false, key + "=" + value);
    }

    Map<String, Object> toWire() {
      return Map.of("Kind", kind.ordinal(), "Negated", negated, "Arg", arg == null ? "" : arg);
    }
  }

  /** One page of {@code ListGoroutines}; {@code nextStart} is -1 when there are no more. */
  public record GoroutinePage(
      @JsonProperty("Goroutines") List<Goroutine> goroutines,
      @JsonProperty("Nextg") int nextStart) {

    public List<Goroutine> goroutinesOrEmpty() {
      return goroutines == null ? List.of() : goroutines;
    }

    public boolean hasMore() {
      return nextStart >= 0;
    }
  }
}
