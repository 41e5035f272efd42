package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.Artifact;
import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import java.io.PrintWriter;
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

  @Option(names = {"-w", "--watch"}, description = "Follow the session until it ends (as the capture verbs do).")
  boolean watch;

  @Option(names = "--download", description = "Fetch its artifacts into --out-dir and print the summary with them.")
  boolean download;

  @Mixin
  StoreOptions store;

  @Option(names = "--out-dir", paramLabel = "DIR", defaultValue = "gopherscope",
      description = "Where artifacts go: DIR/<session>/<pod>/ (default ./gopherscope).")
  java.nio.file.Path outDir;

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
      RunOptions follow = new RunOptions();
      follow.progress = "auto";
      follow.waitTimeout = java.time.Duration.ofHours(6);
      follow.store = store;
      follow.outDir = outDir;
      follow.noDownload = !download;
      SessionFollower.Outcome outcome = new SessionFollower(cluster.client(), namespace, name,
          ProgressView.choose(follow.progress, out), follow.waitTimeout).follow();
      if (outcome.interrupted()) {
        return ExitCodes.INTERRUPTED;
      }
      return new SessionRun(cluster, follow, out, spec.commandLine().getErr()).report(cluster.client(), outcome.session());
    }
    out.println(ProgressLines.session(session));
    ProgressLines.targets(session).forEach(out::println);
    if (download) {
      RunOptions fetch = new RunOptions();
      fetch.store = store;
      fetch.outDir = outDir;
      return new SessionRun(cluster, fetch, out, spec.commandLine().getErr()).report(cluster.client(), session);
    }
    if (session.getStatus() != null) {
      new Summary(out).print(session, List.of());
    }
    List<Artifact> artifacts = Summary.nullSafe(session.getStatus() == null ? null : session.getStatus().getArtifacts());
    if (!artifacts.isEmpty()) {
      out.println("Artifacts (fetch them with --download):");
      for (Artifact a : artifacts) {
        out.printf(Locale.ROOT, "  %-40s %9d bytes  %s%n", a.getPod() + "/" + a.getName(), a.getBytes() == null ? 0 : a.getBytes(),
            a.getUri());
      }
    }
    SessionPhase phase = session.getStatus() == null ? null : session.getStatus().getPhase();
    return phase == SessionPhase.Failed ? ExitCodes.FAILED : ExitCodes.OK;
  }
}
