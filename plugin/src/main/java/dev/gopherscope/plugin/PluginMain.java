package dev.gopherscope.plugin;

import picocli.CommandLine;

/** {@code kubectl gopherscope}: the launcher script runs this. */
public final class PluginMain {

  private PluginMain() {
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    CommandLine cli = new CommandLine(new GopherscopeCommand());
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
