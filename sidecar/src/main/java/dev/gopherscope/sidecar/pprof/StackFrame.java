package dev.gopherscope.sidecar.pprof;

/** One frame of a stack: a function and where in it. {@code line} is 0 when unknown. */
public record StackFrame(String function, String file, long line) {

  /** How the frame reads in a signature: the function, or {@code function file:line}. */
  public String signature(boolean fileAndLine) {
    return fileAndLine ? function + " " + file + ":" + line : function;
  }
}
