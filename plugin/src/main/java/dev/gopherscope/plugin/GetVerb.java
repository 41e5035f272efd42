package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.Artifact;
import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "get", sortOptions = false,
    description = "Show one session: its state, per target, what it found and its artifacts; --download fetches them.")
final class GetVerb implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SESSION")
  String name;

  @Mixin
  ClusterOptions cluster;

  @Option(names = {"-o", "--output"}, paramLabel = "yaml|json", description = "Print the whole resource instead.")
  String output;

  @Option(names = {"-w", "--watch"}, description = "Follow the session until it ends, as the capture verbs do.")
  boolean watch;

  @Option(names = "--download", description = "Fetch its artifacts and print the summary with them.")
  boolean download;

  @Mixin
  ArtifactOptions artifacts;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String namespace = cluster.namespace();
    DebugSession session = Sessions.require(cluster.client(), namespace, name);
    if (output != null) {
      out.print(Printing.format(session, output));
      return ExitCodes.OK;
    }
    if (watch) {
      SessionFollower.Outcome outcome = new SessionFollower(cluster.client(), namespace, name,
          ProgressView.choose("auto", out), Duration.ofHours(6)).follow();
      if (outcome.interrupted()) {
        return ExitCodes.INTERRUPTED;
      }
      session = outcome.session();
    } else {
      out.println(ProgressLines.session(session));
      ProgressLines.targets(session).forEach(out::println);
    }
    if (download || watch) {
      RunOptions fetch = new RunOptions();
      fetch.artifacts = artifacts;
      fetch.noDownload = !download;
      return new SessionRun(cluster, fetch, out, spec.commandLine().getErr()).report(cluster.client(), session);
    }
    if (session.getStatus() != null) {
      new Summary(out).print(session, List.of(), null);
    }
    List<Artifact> listed = Summary.nullSafe(session.getStatus() == null ? null : session.getStatus().getArtifacts());
    if (!listed.isEmpty()) {
      out.println("Artifacts (fetch them with --download):");
      for (Artifact a : listed) {
        out.printf(Locale.ROOT, "  %-40s %9d bytes  %s%n", a.getPod() + "/" + a.getName(),
            a.getBytes() == null ? 0 : a.getBytes(), a.getUri());
      }
    }
    SessionPhase phase = session.getStatus() == null ? null : session.getStatus().getPhase();
    return phase == SessionPhase.Failed ? ExitCodes.FAILED : ExitCodes.OK;
  }
}
