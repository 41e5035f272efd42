package dev.gopherscope.plugin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/** {@code kubectl gopherscope}: the launcher script runs this. */
public final class PluginMain {

  /** Every verb, in the order the usage lists them. */
  private static final Map<String, Supplier<Object>> VERBS = new LinkedHashMap<>();

  static {
    VERBS.put("goroutines", GoroutinesVerb::new);
    VERBS.put("trace-stacks", TraceStacksVerb::new);
    VERBS.put("cpu", CpuVerb::new);
    VERBS.put("heap", HeapVerb::new);
    VERBS.put("snapshot", SnapshotVerb::new);
    VERBS.put("allocs", ProfileVerbs.Allocs::new);
    VERBS.put("block", ProfileVerbs.Block::new);
    VERBS.put("mutex", ProfileVerbs.Mutex::new);
    VERBS.put("trace", RuntimeVerbs.ExecutionTrace::new);
    VERBS.put("health", RuntimeVerbs.RuntimeHealth::new);
    VERBS.put("leaks", RuntimeVerbs.GoroutineLeaks::new);
    VERBS.put("run", RunVerb::new);
    VERBS.put("ls", LsVerb::new);
    VERBS.put("get", GetVerb::new);
    VERBS.put("diff", DiffVerb::new);
    VERBS.put("open", OpenVerb::new);
    VERBS.put("version", VersionVerb::new);
  }

  private PluginMain() {
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    CommandLine cli = new CommandLine(new GopherscopeCommand());
    // picocli reflects over every option of every verb it is given: building only the verb named
    // (all of them for the usage or an unknown verb) keeps that cost out of each run.
    String named = args.length > 0 ? ("list".equals(args[0]) ? "ls" : args[0]) : null;
    if (VERBS.containsKey(named)) {
      cli.addSubcommand(VERBS.get(named).get());
    } else {
      VERBS.values().forEach(verb -> cli.addSubcommand(verb.get()));
    }
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("error: " + ErrorReport.describe(e));
      return ExitCodes.FAILED;
    });
    int status = cli.execute(args);
    // print() on picocli's writers is not flushed by itself, and System.exit does not flush them.
    cli.getOut().flush();
    cli.getErr().flush();
    return status;
  }
}
