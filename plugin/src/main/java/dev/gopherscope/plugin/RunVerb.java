package dev.gopherscope.plugin;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "run", sortOptions = false,
    description = "Create the DebugSession in a file (e.g. examples/sessions/*.yaml), follow it, fetch its results.")
final class RunVerb implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "The DebugSession YAML or JSON.")
  Path file;

  @Mixin
  ClusterOptions cluster;

  @Mixin
  RunOptions run;

  @Override
  public Integer call() {
    return new SessionRun(cluster, run, spec.commandLine().getOut(), spec.commandLine().getErr())
        .start(SessionFile.read(file, cluster));
  }
}
