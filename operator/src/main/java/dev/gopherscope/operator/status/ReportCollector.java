package dev.gopherscope.operator.status;

import dev.gopherscope.contract.ContractJson;
import dev.gopherscope.contract.SessionPlanner;
import dev.gopherscope.contract.SidecarReport;
import dev.gopherscope.operator.credentials.ObjectStore;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the {@code report.json} a finished sidecar uploaded. Reports never change once written,
 * so each is fetched once per operator process.
 */
public final class ReportCollector {

  private static final Logger LOG = LoggerFactory.getLogger(ReportCollector.class);

  /**
   * A report of 100k goroutines' results is a few hundred KiB; a sidecar writes it from inside the
   * target pod, so the operator reads no more than this rather than trusting its size.
   */
  static final int MAX_REPORT_BYTES = 8 * 1024 * 1024;

  private final ObjectStore store;
  private final Map<String, SidecarReport> cache = new ConcurrentHashMap<>();

  public ReportCollector(ObjectStore store) {
    this.store = store;
  }

  /** The report of {@code pod}, or empty when it has not arrived (or cannot be read). */
  public Optional<SidecarReport> fetch(String bucket, String keyPrefix, String pod) {
    String key = keyPrefix + pod + "/" + SessionPlanner.REPORT;
    SidecarReport cached = cache.get(bucket + "/" + key);
    if (cached != null) {
      return Optional.of(cached);
    }
    try {
      Optional<byte[]> bytes = store.get(bucket, key, MAX_REPORT_BYTES);
      if (bytes.isEmpty()) {
        return Optional.empty();
      }
      SidecarReport report = ContractJson.mapper().readValue(bytes.get(), SidecarReport.class);
      cache.put(bucket + "/" + key, report);
      return Optional.of(report);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot read {}: {}", ObjectStore.uri(bucket, key), e.getMessage());
      return Optional.empty();
    }
  }

  /** Forgets the reports of a deleted session. */
  public void forget(String bucket, String keyPrefix) {
    cache.keySet().removeIf(k -> k.startsWith(bucket + "/" + keyPrefix));
  }
}
