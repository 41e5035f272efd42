package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.api.v1alpha1.SessionPhase;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Reads the session twice a second until it succeeds or fails, showing each read. Ctrl-C does
 * not kill the plugin while it follows: it stops following, so the user can be asked what to do
 * with the session.
 */
final class SessionFollower {

  private static final Duration POLL = Duration.ofMillis(500);
  private static final Signal INT = new Signal("INT");

  record Outcome(DebugSession session, boolean interrupted) {
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final ProgressView view;
  private final Duration timeout;

  SessionFollower(KubernetesClient client, String namespace, String name, ProgressView view, Duration timeout) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.view = view;
    this.timeout = timeout;
  }

  Outcome follow() {
    AtomicBoolean interrupted = new AtomicBoolean();
    SignalHandler previous = Signal.handle(INT, signal -> interrupted.set(true));
    long started = System.nanoTime();
    try {
      while (true) {
        DebugSession session = client.resources(DebugSession.class).inNamespace(namespace).withName(name).get();
        if (session == null) {
          view.finish();
          throw new UserError("debugsession " + namespace + "/" + name + " was deleted while it ran");
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        view.show(session, elapsed);
        SessionPhase phase = session.getStatus() == null ? null : session.getStatus().getPhase();
        if (phase != null && phase.isFinal()) {
          view.finish();
          return new Outcome(session, false);
        }
        if (elapsed.compareTo(timeout) > 0) {
          view.finish();
          throw new UserError("debugsession " + namespace + "/" + name + " has not finished after "
              + timeout.toSeconds() + " s (it keeps running; follow it with kubectl gopherscope get " + name + ")");
        }
        if (sleepUnlessInterrupted(interrupted)) {
          view.finish();
          return new Outcome(session, true);
        }
      }
    } finally {
      Signal.handle(INT, previous);
    }
  }

  private static boolean sleepUnlessInterrupted(AtomicBoolean interrupted) {
    long until = System.nanoTime() + POLL.toNanos();
    while (System.nanoTime() < until) {
      if (interrupted.get()) {
        return true;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      }
    }
    return interrupted.get();
  }
}
