package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.Capture;
import dev.gopherscope.api.v1alpha1.CaptureKind;
import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.TargetSpec;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A verb that creates one session with one capture, follows it and fetches its results. */
abstract class CaptureVerb implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ClusterOptions cluster;

  @Mixin
  SessionOptions session;

  @Mixin
  RunOptions run;

  /** The capture this verb asks for, from its own flags. */
  abstract Capture capture();

  static Capture capture(CaptureKind kind) {
    Capture capture = new Capture();
    capture.setKind(kind);
    return capture;
  }

  @Override
  public Integer call() {
    String namespace = cluster.namespace();
    TargetSpec target = new TargetResolver(cluster::client, namespace)
        .resolve(session.target, session.selector, !run.dryRun);
    DebugSession debugSession = SessionFactory.build(spec.name(), session, target, namespace, List.of(capture()));
    return new SessionRun(cluster, run, spec.commandLine().getOut(), spec.commandLine().getErr()).start(debugSession);
  }
}
