package dev.gopherscope.sidecar.flamegraph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.sidecar.pprof.PprofDecoder;
import dev.gopherscope.sidecar.pprof.PprofProfile;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FlameGraphHtmlTest {

  private static final String SCRIPT_INJECTION = "</script><script>alert(1)</script>";
  private static final String TAG_INJECTION = "main.<img src=x onerror=alert(1)>&amp;\u2028";

  @Test
  void aDifferenceShowsWhatGrewAndWhatShrankUnderTheirOwnBranches() {
    PprofProfile difference = new SyntheticProfile()
        .sample(600, "main.main", "main.retain")
        .sample(-200, "main.main", "main.release")
        .build();

    FlameTree tree = FlameTree.ofDifference(difference, 0);
    String html = FlameGraphHtml.renderDifference(difference, 0, "Heap growth", "pod-1", "");

    assertThat(tree.total()).as("both directions add width").isEqualTo(800);
    Map<String, Long> branches = new HashMap<>();
    for (int node = 1; node < tree.size(); node++) {
      if (tree.parent(node) == 0) {
        branches.put(tree.name(node), tree.value(node));
      }
    }
    assertThat(branches).containsExactlyInAnyOrderEntriesOf(Map.of(FlameTree.GREW, 600L, FlameTree.SHRANK, 200L));
    assertThat(html).contains("grew 0.60 µs, shrank 0.20 µs, net +0.40 µs", "\"difference\":true", "main.release");
  }

  @Test
  void hostileFunctionNamesNeverBecomeMarkup() {
    PprofProfile profile = new SyntheticProfile()
        .sample(700, "main.main", SCRIPT_INJECTION)
        .sample(300, "main.main", TAG_INJECTION)
        .build();

    String html = FlameGraphHtml.render(profile, 0, "CPUProfile", "pod-<b>x</b>", "filter: route=<script>");

    assertThat(count(html, "<script")).as("only the page's own two script elements").isEqualTo(2);
    assertThat(html).doesNotContain("<img", "<b>", "alert(1)</script>", "\u2028");
    assertThat(html).contains("pod-&lt;b&gt;x&lt;/b&gt;", "filter: route=&lt;script&gt;");
    // The names survive as data, \\u-escaped, for the script to show as text.
    assertThat(html).contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e");
    assertThat(html).contains("textContent").doesNotContain("innerHTML");
  }

  @Test
  void thePageIsSelfContained() {
    String html = FlameGraphHtml.render(new SyntheticProfile().sample(1, "main.main").build(), 0, "CPUProfile", "p", "");

    assertThat(html).contains("Content-Security-Policy", "default-src 'none'");
    assertThat(html).doesNotContainPattern("(src|href)\\s*=\\s*[\"']?(https?:)?//");
  }

  @Test
  void theTitleShowsTheKindThePodAndTheTotal() {
    PprofProfile profile = new SyntheticProfile()
        .sample(1_500_000_000L, "main.main", "main.burnCPU")
        .sample(500_000_000L, "main.main", "main.idle")
        .build();

    String html = FlameGraphHtml.render(profile, 0, "CPUProfile", "checkout-0", "");

    Matcher title = Pattern.compile("<title>(.*)</title>").matcher(html);
    assertThat(title.find()).isTrue();
    assertThat(title.group(1)).isEqualTo("CPUProfile of checkout-0 — cpu 2.00 s in 2 samples");
  }

  @Test
  void framesUnderATenthOfAPercentAreMergedIntoOther() {
    SyntheticProfile builder = new SyntheticProfile().sample(1_000_000, "main.main", "main.hot");
    for (int i = 0; i < 5_000; i++) {
      builder.sample(1, "main.main", "main.cold" + i, "main.leaf" + i);
    }
    PprofProfile profile = builder.build();

    FlameTree tree = FlameTree.of(profile, 0);

    assertThat(tree.total()).isEqualTo(1_005_000);
    assertThat(tree.size()).isEqualTo(4); // all, main.main, main.hot, other
    assertThat(tree.names()).contains("other").noneMatch(n -> n.startsWith("main.cold"));
    for (int node = 0; node < tree.size(); node++) {
      if (tree.name(node).equals("other")) {
        assertThat(tree.value(node)).isEqualTo(5_000);
        assertThat(tree.name(tree.parent(node))).isEqualTo("main.main");
      }
    }
    assertThat(FlameGraphHtml.render(profile, 0, "CPUProfile", "p", "").length()).isLessThan(20_000);
  }

  @Test
  void noProfileMakesMoreNodesThanTheBound() {
    // 900 distinct 40-deep stacks of equal weight (each over 0.1%): 36,001 nodes before the bound.
    SyntheticProfile builder = new SyntheticProfile();
    for (int i = 0; i < 900; i++) {
      String[] frames = new String[40];
      for (int d = 0; d < frames.length; d++) {
        frames[d] = "pkg.f" + i + "_" + d;
      }
      builder.sample(1, frames);
    }
    FlameTree tree = FlameTree.of(builder.build(), 0);

    assertThat(tree.size()).isEqualTo(FlameTree.MAX_NODES);
    for (int node = 1; node < tree.size(); node++) {
      assertThat(tree.parent(node)).isBetween(0, node - 1);
    }
  }

  @Test
  void stacksDeeperThanTheLimitAreCut() {
    String[] frames = new String[FlameTree.MAX_DEPTH + 100];
    for (int d = 0; d < frames.length; d++) {
      frames[d] = "rec.f";
    }
    FlameTree tree = FlameTree.of(new SyntheticProfile().sample(5, frames).build(), 0);

    assertThat(tree.size()).isEqualTo(FlameTree.MAX_DEPTH + 1);
  }

  @Test
  void theDefaultSampleTypeIsPprofsDefault() throws IOException {
    PprofProfile cpu = fixture("/pprof/cpu-two-traces.pb.gz");

    int type = FlameGraphHtml.defaultSampleType(cpu);

    assertThat(cpu.string(cpu.sampleTypes().get(type).type())).isEqualTo("cpu");
    assertThat(FlameGraphHtml.render(cpu, type, "CPUProfile", "demo", "")).contains("main.burnCPU");
  }

  private static PprofProfile fixture(String resource) throws IOException {
    try (InputStream in = FlameGraphHtmlTest.class.getResourceAsStream(resource)) {
      return new PprofDecoder().decode(in);
    }
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
