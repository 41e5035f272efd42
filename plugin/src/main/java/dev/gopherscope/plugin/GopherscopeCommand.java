package dev.gopherscope.plugin;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * The top of the command tree: a verb is always named, so alone it prints its usage. Its verbs are
 * added by {@link PluginMain}, which builds only the one the command line names.
 */
@Command(name = "kubectl gopherscope", mixinStandardHelpOptions = true, versionProvider = PluginVersion.class,
    scope = CommandLine.ScopeType.INHERIT,
    sortOptions = false, usageHelpAutoWidth = true,
    description = {
        "Debug and profile running Go pods in place: create a DebugSession, follow it, fetch and summarise what "
            + "it captured.",
        "",
        "  kubectl gopherscope goroutines deploy/checkout --pprof-port 6060",
        "  kubectl gopherscope trace-stacks pod/checkout-0 --traceparent 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "  kubectl gopherscope cpu -l app=checkout --pprof-port 6060 --duration 30s",
        "  kubectl gopherscope run -f session.yaml",
        ""})
final class GopherscopeCommand implements Callable<Integer> {

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
