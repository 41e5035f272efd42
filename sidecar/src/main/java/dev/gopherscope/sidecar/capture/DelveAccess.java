package dev.gopherscope.sidecar.capture;

import dev.gopherscope.sidecar.capture.delve.AttachOverrunException;
import dev.gopherscope.sidecar.capture.delve.AttachPauseModel;
import dev.gopherscope.sidecar.capture.delve.AttachPauseModel.Prediction;
import dev.gopherscope.sidecar.capture.delve.DelveAttachment;
import dev.gopherscope.sidecar.capture.delve.HaltOutcome;
import dev.gopherscope.sidecar.debuginfo.DebugInfoException;
import dev.gopherscope.sidecar.debuginfo.DebugInfoSource;
import dev.gopherscope.sidecar.debuginfo.SeparateDebugInfo;
import dev.gopherscope.sidecar.delve.DelveDiedException;
import dev.gopherscope.sidecar.delve.DelveException;
import dev.gopherscope.sidecar.process.BuildId;
import dev.gopherscope.sidecar.process.DebugInfoSize;
import dev.gopherscope.sidecar.process.TargetProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * dlv for the captures that need it, attached on first use and only then: a session of pprof
 * captures never starts dlv, never halts the target, and never loads the Delve classes.
 *
 * <p>An attach halts the target while dlv loads the binary's debug info, a pause no capture budget
 * covers; the session's {@code attachPauseBudget} does. Before each attach the pause is predicted
 * from the binary's DWARF ({@link AttachPauseModel}); if it does not fit, nothing is started and
 * the Delve captures fail with {@link CaptureResult#ATTACH_PAUSE_OVER_BUDGET}. The attach's own
 * watchdog kills dlv if the real pause runs past the budget anyway.
 *
 * <p>When the watchdog has killed dlv because a capture's halt overran its pause budget, a later
 * Delve capture attaches again, at most {@link #MAX_REATTACHES} times a session, and only while the
 * prediction fits the budget and no attach has overrun it: one slow halt does not doom the
 * session's other captures, and a target is not halted without end by attach after attach. A dlv
 * that died on its own (OOM-killed, say) is not started again: it would die the same way.
 *
 * <p>A stripped target (no DWARF) is attached with separate debug info from a {@link DebugInfoSource}
 * (in a pod: published to the object store by build ID), fetched and checked before anything halts
 * the target, and predicted from like embedded DWARF; without it, its Delve captures fail with the
 * {@link DebugInfoException}'s reason.
 *
 * <p>{@link #close()} detaches, leaving the target running; dlv also dies with this JVM
 * ({@code DelveServer}), so the target never outlives the sidecar halted.
 */
public final class DelveAccess implements AutoCloseable {

  /** Attaches after the first one, each after the watchdog killed dlv. */
  static final int MAX_REATTACHES = 2;

  private final Path dlv;
  private final TargetProcess target;
  private final Duration attachPauseBudget;
  private final AttachPauseModel model;
  private final String unavailable;
  private final DebugInfoSource debugInfoSource;
  private final Consumer<String> progress;
  /** A stripped target's debug info, once fetched; null for a binary with DWARF. */
  private SeparateDebugInfo debugInfo;
  private DelveAttachment attachment;
  private Optional<Prediction> prediction;
  private int attaches;
  private double longestAttachPausedMs;
  /** Why no attach may be tried again, once that is settled. */
  private CaptureException noMoreAttaches;
  /** How dlv ended, when it died by no hand of the sidecar's while attaching. */
  private String diedWhileAttaching;

  private DelveAccess(Path dlv, TargetProcess target, Duration attachPauseBudget, AttachPauseModel model,
      String unavailable, DebugInfoSource debugInfoSource, Consumer<String> progress) {
    this.dlv = dlv;
    this.target = target;
    this.attachPauseBudget = attachPauseBudget;
    this.model = model;
    this.unavailable = unavailable;
    this.debugInfoSource = debugInfoSource;
    this.progress = progress;
  }

  /**
   * dlv at {@code dlv}, for {@code target}, whose attaches may halt it at most {@code attachPauseBudget}
   * each; a stripped target's debug info comes from {@code debugInfo}.
   */
  public static DelveAccess of(Path dlv, TargetProcess target, Duration attachPauseBudget, DebugInfoSource debugInfo,
      Consumer<String> progress) {
    return new DelveAccess(dlv, target, attachPauseBudget, AttachPauseModel.measured(), null, debugInfo, progress);
  }

  /** No dlv can be had; a capture that asks fails with {@code why}. */
  public static DelveAccess unavailable(String why) {
    return new DelveAccess(null, null, Duration.ZERO, AttachPauseModel.measured(), why, DebugInfoSource.none(why),
        line -> { });
  }

  /**
   * The live attachment, attaching first if there is none (or again, see the class comment).
   *
   * @throws CaptureException if dlv cannot be had, may not attach, or cannot attach
   */
  public synchronized DelveAttachment attachment() {
    if (unavailable != null) {
      throw new CaptureException(unavailable);
    }
    if (attachment != null && attachment.isAlive()) {
      return attachment;
    }
    if (noMoreAttaches != null) {
      throw noMoreAttaches;
    }
    if (attachment != null) {
      mayAttachAgain();
    }
    if (!Files.isExecutable(dlv)) {
      throw new CaptureException("dlv is not at " + dlv + " (GOPHERSCOPE_DLV), so this Delve capture cannot run");
    }
    if (!target.buildInfo().hasDebugInfo() && debugInfo == null) {
      debugInfo = fetchDebugInfo();
    }
    predictionFits();
    return attach();
  }

  /** A dead attachment: settles whether a new one may be tried, throwing if not. */
  private void mayAttachAgain() {
    Optional<String> died = attachment.diedOnItsOwn();
    if (died.isPresent()) {
      noMoreAttaches = new CaptureException("dlv is gone (" + died.get() + ", by no hand of the sidecar's); this "
          + "session does not attach again, since a new dlv would likely end the same way");
    } else if (attaches > MAX_REATTACHES) {
      noMoreAttaches = CaptureException.because(CaptureResult.ATTACH_LIMIT_REACHED, "dlv is gone (the watchdog "
          + "killed it when a halt overran the pause budget) and this session has attached it " + attaches
          + " times, the most it may (1 + " + MAX_REATTACHES + " re-attaches), so the target is not halted again; "
          + "raise spec.pauseBudget or narrow the filter so that halts fit");
    }
    if (noMoreAttaches != null) {
      throw noMoreAttaches;
    }
    progress.accept(String.format(Locale.ROOT, "dlv is gone (the watchdog killed it when a halt overran the pause "
        + "budget); attaching again (re-attach %d of %d; the longest attach so far paused the target %.1f ms, "
        + "allowed %d ms)", attaches, MAX_REATTACHES, longestAttachPausedMs, attachPauseBudget.toMillis()));
    attachment = null;
  }

  /** The stripped target's debug info, fetched and checked; nothing is halted yet. */
  private SeparateDebugInfo fetchDebugInfo() {
    Path exe = Path.of("/proc", Long.toString(target.pid()), "exe");
    try {
      BuildId id = BuildId.read(exe).orElseThrow(() -> new DebugInfoException(DebugInfoException.Reason.NoDebugInfo,
          target.describe() + " has no DWARF and no build ID to look its debug info up by; rebuild it without -w/-s, "
          + "or with the default GNU build ID (Go 1.24+, or -ldflags=-B=gobuildid)"));
      Path directory = Files.createTempDirectory("gopherscope-debuginfo-");
      DebugInfoSource.Fetched fetched = debugInfoSource.fetch(id, directory, progress);
      Path exeName = Path.of(target.exe()).getFileName();
      SeparateDebugInfo prepared = SeparateDebugInfo.prepare(directory, fetched, id,
          exeName == null ? "exe" : exeName.toString());
      progress.accept("debug info for " + target.describe() + ": " + prepared.describe());
      return prepared;
    } catch (DebugInfoException e) {
      noMoreAttaches = CaptureException.because(e.reason().name(), "dlv was not attached, so the target was "
          + "never halted: " + e.getMessage());
      throw noMoreAttaches;
    } catch (IOException e) {
      noMoreAttaches = CaptureException.because(DebugInfoException.Reason.DebugInfoUnavailable.name(),
          "cannot read " + exe + " or make room for its debug info: " + e.getMessage());
      throw noMoreAttaches;
    }
  }

  /** Refuses, before anything halts the target, an attach predicted to overrun its budget. */
  private void predictionFits() {
    if (prediction == null) {
      prediction = predict();
    }
    if (prediction.isEmpty()) {
      return;
    }
    Prediction predicted = prediction.get();
    if (!predicted.fits(attachPauseBudget)) {
      noMoreAttaches = CaptureException.because(CaptureResult.ATTACH_PAUSE_OVER_BUDGET, "dlv was not attached, so "
          + "the target was never halted: attaching would pause it about as long as dlv takes to load "
          + target.describe() + "'s debug info, " + predicted.describe() + ", allowed " + attachPauseBudget.toMillis()
          + " ms; raise spec.attachPauseBudget (pprof captures still run)");
      throw noMoreAttaches;
    }
  }

  /** The prediction for this target's binary, or empty (with a word why) if its DWARF cannot be measured. */
  private Optional<Prediction> predict() {
    Path binary = debugInfo != null ? debugInfo.file() : Path.of("/proc", Long.toString(target.pid()), "exe");
    try {
      Optional<Prediction> predicted = DebugInfoSize.inflatedBytes(binary).map(model::predict);
      predicted.ifPresent(p -> progress.accept("attach pause " + p.describe() + ", allowed "
          + attachPauseBudget.toMillis() + " ms (spec.attachPauseBudget)"));
      return predicted;
    } catch (IOException e) {
      progress.accept("cannot measure " + binary + "'s DWARF to predict the attach pause (" + e.getMessage()
          + "); the attach's watchdog still bounds it by " + attachPauseBudget.toMillis() + " ms");
      return Optional.empty();
    }
  }

  private DelveAttachment attach() {
    progress.accept("attaching dlv to " + target.describe() + " (the target halts while dlv loads its debug info)");
    attaches++;
    DelveAttachment.Options options = new DelveAttachment.Options(attachPauseBudget,
        DelveAttachment.Options.defaults().callTimeout(), Optional.ofNullable(debugInfo));
    try {
      attachment = DelveAttachment.attach(dlv, target, options);
    } catch (DelveDiedException e) {
      diedWhileAttaching = e.how();
      noMoreAttaches = new CaptureException(e.getMessage(), e);
      throw noMoreAttaches;
    } catch (AttachOverrunException e) {
      // The measured pause did not fit: the prediction was wrong for this target, so trust it no more.
      noMoreAttaches = CaptureException.because(CaptureResult.ATTACH_PAUSE_OVER_BUDGET, e.getMessage()
          + "; raise spec.attachPauseBudget");
      throw noMoreAttaches;
    } catch (DelveException e) {
      if (attaches > MAX_REATTACHES) {
        noMoreAttaches = new CaptureException(e.getMessage(), e);
      }
      throw new CaptureException(e.getMessage(), e);
    }
    HaltOutcome pause = attachment.attachPause();
    longestAttachPausedMs = Math.max(longestAttachPausedMs, pause.pausedMs());
    // Delve's version text is "Version: 1.27.2\nBuild: $Id: ...$": the first line says enough.
    String version = Optional.ofNullable(attachment.version().delveVersion()).flatMap(v -> v.lines().findFirst())
        .orElse("").replace("Version: ", "");
    progress.accept(String.format(Locale.ROOT, "dlv %s attached; attaching paused the target %.1f ms (allowed %d ms)",
        version, pause.pausedMs(), attachPauseBudget.toMillis()));
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

  /** The longest any attach halted the target, in ms (0 if dlv was never attached): no capture budget covers it. */
  public synchronized double attachPausedMs() {
    return longestAttachPausedMs;
  }

  /** How many times dlv was started to attach this session, failed attempts included. */
  public synchronized int attaches() {
    return attaches;
  }

  /** Detaches if attached; the target runs on. */
  @Override
  public synchronized void close() {
    if (attachment != null) {
      attachment.detach();
      attachment = null;
    }
    if (debugInfo != null) {
      debugInfo.delete();
    }
  }
}
