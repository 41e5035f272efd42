package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** Creates a session (or prints it, for a dry run), follows it to its end, fetches and summarises its results. */
final class SessionRun {

  private final ClusterOptions cluster;
  private final RunOptions run;
  private final PrintWriter out;
  private final PrintWriter err;

  SessionRun(ClusterOptions cluster, RunOptions run, PrintWriter out, PrintWriter err) {
    this.cluster = cluster;
    this.run = run;
    this.out = out;
    this.err = err;
  }

  int start(DebugSession session) {
    if (run.dryRun) {
      out.print(Printing.format(session, run.output));
      out.flush();
      return ExitCodes.OK;
    }
    KubernetesClient client = cluster.client();
    String namespace = session.getMetadata().getNamespace();
    String name = session.getMetadata().getName();
    session.getMetadata().setResourceVersion(null);
    client.resources(DebugSession.class).inNamespace(namespace).resource(session).create();
    out.println("debugsession " + namespace + "/" + name + " created");
    out.flush();
    if (run.noWait) {
      out.println("follow it with: kubectl gopherscope get " + name + " -n " + namespace);
      return ExitCodes.OK;
    }
    ProgressView view = ProgressView.choose(run.progress, out);
    SessionFollower.Outcome outcome = new SessionFollower(client, namespace, name, view, run.waitTimeout).follow();
    if (outcome.interrupted()) {
      return new InterruptPrompt(client, namespace, name, out).ask();
    }
    DebugSession done = outcome.session();
    return report(client, done);
  }

  /** Fetches what {@code done} produced and prints its summary; the exit status says whether it succeeded. */
  int report(KubernetesClient client, DebugSession done) {
    List<Downloads.Fetched> files = List.of();
    String source = null;
    int status = done.getStatus().getPhase() == SessionPhase.Succeeded ? ExitCodes.OK : ExitCodes.FAILED;
    if (!run.noDownload && done.getStatus().getArtifacts() != null && !done.getStatus().getArtifacts().isEmpty()) {
      Path dir = run.artifacts.sessionDir(done.getMetadata().getName());
      try (ArtifactStore store = run.artifacts.store(client)) {
        long started = System.nanoTime();
        Downloads downloads = new Downloads(store, dir).fetchAll(done.getStatus().getArtifacts());
        files = downloads.fetched();
        if (files.stream().anyMatch(f -> !f.cached())) {
          source = "fetched from " + store.describe() + " in " + (System.nanoTime() - started) / 1_000_000 + " ms";
        }
        downloads.problems().forEach(p -> err.println("error: " + p));
        if (!downloads.problems().isEmpty()) {
          status = ExitCodes.FAILED;
        }
      }
    }
    new Summary(out).print(done, files, source);
    out.flush();
    return status;
  }
}
