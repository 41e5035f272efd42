package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.Artifact;
import dev.gopherscope.api.v1alpha1.DebugSession;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Opens what a person looks at first: the flame graph in a browser, or the profile in {@code go tool pprof -http}. */
@Command(name = "open", sortOptions = false,
    description = "Open a session's flame graph ($BROWSER, else xdg-open), or its profile in go tool pprof -http.")
final class OpenVerb implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SESSION")
  String name;

  @Mixin
  ClusterOptions cluster;

  @Mixin
  ArtifactOptions artifacts;

  @Option(names = "--pprof", description = "Run go tool pprof -http on the profile instead of opening the flame graph.")
  boolean pprof;

  @Option(names = "--pod", paramLabel = "POD", description = "The pod whose artifact to open (default: the first).")
  String pod;

  @Override
  public Integer call() throws IOException, InterruptedException {
    DebugSession session = Sessions.require(cluster.client(), cluster.namespace(), name);
    String suffix = pprof ? ".pb.gz" : ".html";
    Artifact chosen = Summary.nullSafe(session.getStatus() == null ? null : session.getStatus().getArtifacts()).stream()
        .filter(a -> a.getName() != null && a.getName().endsWith(suffix) && (pod == null || pod.equals(a.getPod())))
        .findFirst()
        .orElseThrow(() -> new UserError("debugsession " + name + " has no " + (pprof ? "profile (*.pb.gz)"
            : "flame graph (*.html; cpu, heap, allocs, block and mutex captures make one)")
            + (pod == null ? "" : " from pod " + pod)));
    Path file;
    try (ArtifactStore artifactStore = artifacts.store(cluster.client())) {
      Downloads downloads = new Downloads(artifactStore, artifacts.sessionDir(name)).fetchAll(List.of(chosen));
      if (!downloads.problems().isEmpty()) {
        throw new UserError("cannot fetch " + chosen.getPod() + "/" + chosen.getName() + ": " + downloads.problems().get(0));
      }
      file = downloads.fetched().get(0).file().toAbsolutePath();
    }
    PrintWriter out = spec.commandLine().getOut();
    List<String> command = pprof ? List.of("go", "tool", "pprof", "-http=127.0.0.1:0", file.toString()) : opener(file);
    if (command == null) {
      out.println("no browser opener found ($BROWSER, xdg-open, open); the flame graph is " + file);
      return ExitCodes.OK;
    }
    out.println("opening " + file + " with " + command.get(0));
    out.flush();
    Process process;
    try {
      process = new ProcessBuilder(command).inheritIO().start();
    } catch (IOException e) {
      throw new UserError("cannot run " + command.get(0) + ": " + e.getMessage()
          + (pprof ? " (go tool pprof needs Go on PATH)" : ""), e);
    }
    return process.waitFor() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private static List<String> opener(Path file) {
    String browser = System.getenv("BROWSER");
    if (browser != null && !browser.isBlank()) {
      List<String> command = new ArrayList<>(List.of(browser.split("\\s+")));
      command.add(file.toString());
      return command;
    }
    for (String candidate : List.of("xdg-open", "open")) {
      if (onPath(candidate)) {
        return List.of(candidate, file.toString());
      }
    }
    return null;
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
