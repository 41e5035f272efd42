package dev.gopherscope.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Traced requests to the demo service's pods over the cluster network, as a tracing SDK would
 * send them: each with its own W3C traceparent, to the given routes in turn, every {@code period}. Remembers
 * which trace ids went to which pod and counts the requests that failed, so a test can say
 * that the target kept serving. Bounded: at most {@code maxRequests}, stopped on close.
 */
public final class TracedTraffic implements AutoCloseable {

  private static final Pattern MAX_GAP = Pattern.compile("max_gap_ms=([0-9.]+)");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "traced-traffic");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Set<String>> traceIdsByPod = new ConcurrentHashMap<>();
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final Set<String> failures = ConcurrentHashMap.newKeySet();

  /** Starts sending {@code route} to each pod (name to IP) in turn. */
  public TracedTraffic(Map<String, String> podIps, String route, Duration period, int maxRequests) {
    this(podIps, List.of(route), period, maxRequests);
  }

  /** Starts sending the {@code routes} in turn, each to the next pod (name to IP) in turn. */
  public TracedTraffic(Map<String, String> podIps, List<String> routes, Duration period, int maxRequests) {
    this(podIps, routes, period, maxRequests, TracedTraffic::traceId);
  }

  /**
   * Requests that all belong to one trace, {@code traceId}, spread over the pods: one user request
   * fanned out to several services, as a trace across pods looks.
   */
  public static TracedTraffic oneTrace(Map<String, String> podIps, String route, String traceId, Duration period,
      int maxRequests) {
    return new TracedTraffic(podIps, List.of(route), period, maxRequests, () -> traceId);
  }

  private TracedTraffic(Map<String, String> podIps, List<String> routes, Duration period, int maxRequests,
      java.util.function.Supplier<String> traceIds) {
    List<Map.Entry<String, String>> pods = List.copyOf(podIps.entrySet());
    scheduler.scheduleAtFixedRate(() -> {
      int n = sent.getAndIncrement();
      if (n >= maxRequests) {
        return;
      }
      Map.Entry<String, String> pod = pods.get(n % pods.size());
      String traceId = traceIds.get();
      traceIdsByPod.computeIfAbsent(pod.getKey(), k -> ConcurrentHashMap.newKeySet()).add(traceId);
      String route = routes.get((n / pods.size()) % routes.size());
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + pod.getValue() + ":8080" + route))
          .header("traceparent", "00-" + traceId + "-" + String.format(Locale.ROOT, "%016x", ThreadLocalRandom.current().nextLong() | 1) + "-01")
          .timeout(Duration.ofSeconds(30)).build();
      http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
        if (error != null || response.statusCode() != 200) {
          failed.incrementAndGet();
          failures.add(pod.getKey() + ": " + (error != null ? error.toString() : "HTTP " + response.statusCode()));
        }
      });
    }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  public Set<String> traceIdsSentTo(String pod) {
    return traceIdsByPod.getOrDefault(pod, Set.of());
  }

  public int failed() {
    return failed.get();
  }

  public Set<String> failures() {
    return failures;
  }

  /** The longest the pod's heartbeat goroutine went without running, in ms, since the pod started. */
  public static double maxHeartbeatGapMs(String podIp) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String body = client.send(HttpRequest.newBuilder(URI.create("http://" + podIp + ":8080/heartbeat"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    Matcher matcher = MAX_GAP.matcher(body);
    if (!matcher.find()) {
      throw new IllegalStateException("no max_gap_ms in /heartbeat: " + body);
    }
    return Double.parseDouble(matcher.group(1));
  }

  /** A random W3C trace id. */
  public static String traceId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return String.format(Locale.ROOT, "%016x%016x", random.nextLong() | 1, random.nextLong());
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
