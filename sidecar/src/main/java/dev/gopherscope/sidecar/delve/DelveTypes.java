package dev.gopherscope.sidecar.delve;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of Delve's JSON-RPC v2 types ({@code service/api}, {@code service/rpc2}) that the
 * sidecar reads or sends. Field names follow Delve's Go structs and their json tags exactly.
 */
public final class DelveTypes {

  private DelveTypes() {
  }

  public record Function(@JsonProperty("name") String name,
      @JsonDeserialize(using = UnsignedLongDeserializer.class) @JsonProperty("value") long value) {
  }

  public record Location(
      @JsonDeserialize(using = UnsignedLongDeserializer.class) @JsonProperty("pc") long pc,
      @JsonProperty("file") String file, @JsonProperty("line") int line,
      @JsonProperty("function") Function function) {

    /** The function name, or {@code ???} when Delve could not resolve it (as Delve prints it). */
    public String functionName() {
      return function == null ? "???" : function.name();
    }
  }

  /**
   * A place in the code as {@code FindLocation} resolves a location expression: {@code pcs} are
   * every address a breakpoint there is written to (several when the compiler inlined or duplicated
   * the code), {@code pc} the first of them.
   */
  public record FoundLocation(
      @JsonDeserialize(using = UnsignedLongDeserializer.class) @JsonProperty("pc") long pc,
      @JsonDeserialize(contentUsing = UnsignedLongDeserializer.class) @JsonProperty("pcs") List<Long> pcs,
      @JsonProperty("file") String file, @JsonProperty("line") int line,
      @JsonProperty("function") Function function) {

    /** The addresses a breakpoint here is written to: {@code pcs}, or {@code pc} when Delve sent none. */
    public List<Long> addresses() {
      return pcs == null || pcs.isEmpty() ? List.of(pc) : pcs;
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

  /** One frame; {@code locals} and {@code arguments} are filled only when a load config asked for them. */
  public record Stackframe(
      @JsonDeserialize(using = UnsignedLongDeserializer.class) @JsonProperty("pc") long pc,
      @JsonProperty("file") String file, @JsonProperty("line") int line,
      @JsonProperty("function") Function function,
      @JsonProperty("Locals") List<Variable> locals,
      @JsonProperty("Arguments") List<Variable> arguments,
      @JsonProperty("Bottom") boolean bottom,
      @JsonProperty("Err") String error) {

    public String functionName() {
      return function == null ? "???" : function.name();
    }
  }

  public record DebuggerState(
      @JsonProperty("Pid") int pid,
      @JsonProperty("Running") boolean running,
      @JsonProperty("currentThread") TargetThread currentThread,
      @JsonProperty("Threads") List<TargetThread> threads,
      @JsonProperty("exited") boolean exited,
      @JsonProperty("exitStatus") int exitStatus,
      @JsonProperty("stopReason") String stopReason) {

    public List<TargetThread> threadsOrEmpty() {
      return threads == null ? List.of() : threads;
    }
  }

  /**
   * An OS thread of the target (Delve's {@code api.Thread}); when it stopped at a breakpoint,
   * {@code breakpoint} says which and {@code breakpointInfo} carries what that breakpoint asked
   * Delve to load at the stop.
   */
  public record TargetThread(
      @JsonProperty("id") int id,
      @JsonDeserialize(using = UnsignedLongDeserializer.class) @JsonProperty("pc") long pc,
      @JsonProperty("file") String file,
      @JsonProperty("line") int line,
      @JsonProperty("function") Function function,
      @JsonProperty("goroutineID") long goroutineId,
      @JsonProperty("breakPoint") Breakpoint breakpoint,
      @JsonProperty("breakPointInfo") BreakpointInfo breakpointInfo) {
  }

  /** A breakpoint as Delve reports it; {@code tracepoint} is the wire's {@code "continue"}. */
  public record Breakpoint(
      @JsonProperty("id") int id,
      @JsonProperty("name") String name,
      @JsonDeserialize(contentUsing = UnsignedLongDeserializer.class) @JsonProperty("addrs") List<Long> addrs,
      @JsonProperty("file") String file,
      @JsonProperty("line") int line,
      @JsonProperty("functionName") String functionName,
      @JsonProperty("Cond") String condition,
      @JsonProperty("continue") boolean tracepoint,
      @JsonProperty("totalHitCount") long totalHitCount) {
  }

  public record BreakpointInfo(
      @JsonProperty("stacktrace") List<Stackframe> stacktrace,
      @JsonProperty("goroutine") Goroutine goroutine,
      @JsonProperty("arguments") List<Variable> arguments,
      @JsonProperty("locals") List<Variable> locals) {
  }

  /**
   * What to ask Delve to load at each hit of a new breakpoint.
   *
   * @param name letters and digits only (Delve's rule); empty for none
   * @param condition a Go boolean expression Delve evaluates at each hit; empty for none
   * @param stackDepth frames to load, 0 for none
   * @param loadGoroutine whether to load the hitting goroutine (with its labels)
   * @param loadArgs how to load arguments, or null not to
   * @param loadLocals how to load locals, or null not to
   */
  public record BreakpointSpec(String name, String condition, int stackDepth, boolean loadGoroutine,
      LoadConfig loadArgs, LoadConfig loadLocals) {

    Map<String, Object> toWire() {
      Map<String, Object> wire = new LinkedHashMap<>();
      wire.put("name", name == null ? "" : name);
      wire.put("Cond", condition == null ? "" : condition);
      wire.put("stacktrace", stackDepth);
      wire.put("goroutine", loadGoroutine);
      wire.put("LoadArgs", loadArgs);
      wire.put("LoadLocals", loadLocals);
      return wire;
    }
  }

  /** How much of a variable Delve reads from the target (api.LoadConfig). */
  public record LoadConfig(
      @JsonProperty("FollowPointers") boolean followPointers,
      @JsonProperty("MaxVariableRecurse") int maxVariableRecurse,
      @JsonProperty("MaxStringLen") int maxStringLen,
      @JsonProperty("MaxArrayValues") int maxArrayValues,
      @JsonProperty("MaxStructFields") int maxStructFields) {
  }

  /**
   * A variable as Delve loaded it: {@code addr} is where it lives in the target; {@code value} is
   * set for scalars and strings (truncated to the load config; {@code len} is the real length),
   * {@code children} for composites.
   */
  public record Variable(
      @JsonProperty("name") String name,
      @JsonDeserialize(using = UnsignedLongDeserializer.class) @JsonProperty("addr") long addr,
      @JsonProperty("type") String type,
      @JsonProperty("kind") int kind,
      @JsonProperty("value") String value,
      @JsonProperty("len") long len,
      @JsonProperty("cap") long cap,
      @JsonProperty("children") List<Variable> children,
      @JsonProperty("unreadable") String unreadable) {

    public List<Variable> childrenOrEmpty() {
      return children == null ? List.of() : children;
    }
  }

  /** What {@code GetVersion} says about Delve and the target. */
  public record Version(
      @JsonProperty("DelveVersion") String delveVersion,
      @JsonProperty("APIVersion") int apiVersion,
      @JsonProperty("Backend") String backend,
      @JsonProperty("TargetGoVersion") String targetGoVersion,
      @JsonProperty("MinSupportedVersionOfGo") String minSupportedGo,
      @JsonProperty("MaxSupportedVersionOfGo") String maxSupportedGo) {
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

    /** {@code LABEL} with a bare key matches goroutines that carry the label, whatever its value. */
    public static GoroutineFilter hasLabel(String key) {
      return new GoroutineFilter(GoroutineField.LABEL, false, key);
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
