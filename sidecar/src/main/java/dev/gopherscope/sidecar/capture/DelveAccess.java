package dev.gopherscope.sidecar.capture;

import dev.gopherscope.sidecar.capture.delve.DelveAttachment;
import dev.gopherscope.sidecar.capture.delve.HaltOutcome;
import dev.gopherscope.sidecar.delve.DelveDiedException;
import dev.gopherscope.sidecar.delve.DelveException;
import dev.gopherscope.sidecar.process.TargetProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * dlv for the captures that need it, attached on first use and only then: a session of pprof
 * captures never starts dlv, never halts the target, and never loads the Delve classes. Once dlv
 * is gone (the watchdog killed it after a halt overran its budget), later Delve captures of the
 * session fail rather than attach again: an attach is a halt that no budget bounds.
 * {@link #close()} detaches, leaving the target running; dlv also dies with this JVM
 * ({@code DelveServer}), so the target never outlives the sidecar halted.
 */
public final class DelveAccess implements AutoCloseable {

  private final Path dlv;
  private final TargetProcess target;
  private final String unavailable;
  private final Consumer<String> progress;
  private DelveAttachment attachment;
  private double attachPausedMs;
  /** How dlv ended, when it died by no hand of the sidecar's while attaching. */
  private String diedWhileAttaching;

  private DelveAccess(Path dlv, TargetProcess target, String unavailable, Consumer<String> progress) {
    this.dlv = dlv;
    this.target = target;
    this.unavailable = unavailable;
    this.progress = progress;
  }

  /** dlv at {@code dlv}, for {@code target}. */
  public static DelveAccess of(Path dlv, TargetProcess target, Consumer<String> progress) {
    return new DelveAccess(dlv, target, null, progress);
  }

  /** No dlv can be had; a capture that asks fails with {@code why}. */
  public static DelveAccess unavailable(String why) {
    return new DelveAccess(null, null, why, line -> { });
  }

  /**
   * The live attachment, attaching first if there is none.
   *
   * @throws CaptureException if dlv cannot be had or cannot attach
   */
  public synchronized DelveAttachment attachment() {
    if (unavailable != null) {
      throw new CaptureException(unavailable);
    }
    if (attachment != null) {
      if (attachment.isAlive()) {
        return attachment;
      }
      // Attaching halts the target again, outside any budget: after an overrun, leave it alone.
      throw new CaptureException("dlv is gone (the watchdog killed it when a halt overran the pause budget, or it "
          + "exited); this session does not attach again, so the target is not halted once more");
    }
    if (!Files.isExecutable(dlv)) {
      throw new CaptureException("dlv is not at " + dlv + " (GOPHERSCOPE_DLV), so this Delve capture cannot run");
    }
    progress.accept("attaching dlv to " + target.describe() + " (the target halts while dlv loads its debug info)");
    try {
      attachment = DelveAttachment.attach(dlv, target, DelveAttachment.Options.defaults());
    } catch (DelveDiedException e) {
      diedWhileAttaching = e.how();
      throw new CaptureException(e.getMessage(), e);
    } catch (DelveException e) {
      throw new CaptureException(e.getMessage(), e);
    }
    HaltOutcome pause = attachment.attachPause();
    attachPausedMs = pause.pausedMs();
    // Delve's version text is "Version: 1.27.2\nBuild: $Id: ...$": the first line says enough.
    String version = Optional.ofNullable(attachment.version().delveVersion()).flatMap(v -> v.lines().findFirst())
        .orElse("").replace("Version: ", "");
    progress.accept(String.format(Locale.ROOT, "dlv %s attached; attaching paused the target %.1f ms", version,
        pause.pausedMs()));
    return attachment;
  }

  /**
   * How dlv ended if it died under this session on its own (SIGKILLed, OOM-killed) rather than by
   * the sidecar's hand; empty if it was never attached or still lives.
   */
  public synchronized Optional<String> dlvDiedOnItsOwn() {
    if (diedWhileAttaching != null) {
      return Optional.of(diedWhileAttaching);
    }
    return attachment == null ? Optional.empty() : attachment.diedOnItsOwn();
  }

  /** How long attaching halted the target, in ms (0 if dlv was never attached): no capture budget covers it. */
  public synchronized double attachPausedMs() {
    return attachPausedMs;
  }

  /** Detaches if attached; the target runs on. */
  @Override
  public synchronized void close() {
    if (attachment != null) {
      attachment.detach();
      attachment = null;
    }
  }
}
