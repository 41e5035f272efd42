package dev.gopherscope.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SidecarReportTest {

  @Test
  void hostileLabelsAreCutToWhatTheStatusCanHoldWhetherWrittenOrRead() throws Exception {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("traceparent", "01-" + "<script>".repeat(20_000));
    labels.put("k".repeat(500), "v");
    for (int i = 0; i < 20; i++) {
      labels.put("extra-" + i, "x");
    }
    SidecarReport.StackGroup group = new SidecarReport.StackGroup(3, List.of("main.f".repeat(1000)), labels);

    assertThat(group.labels()).hasSize(SidecarReport.MAX_LABELS);
    assertThat(group.labels().get("traceparent")).hasSize(SidecarReport.MAX_LABEL_VALUE).endsWith("…");
    assertThat(group.labels().keySet()).allSatisfy(k -> assertThat(k.length()).isLessThanOrEqualTo(128));
    assertThat(group.frames()).singleElement().satisfies(f -> assertThat(f).hasSize(SidecarReport.MAX_FRAME));

    // A report written by something else (an older or a tampered sidecar) is cut as it is read.
    String json = "{\"count\":1,\"frames\":[],\"labels\":{\"a\":\"" + "y".repeat(100_000) + "\"}}";
    SidecarReport.StackGroup read = ContractJson.mapper().readValue(json, SidecarReport.StackGroup.class);
    assertThat(read.labels().get("a")).hasSize(SidecarReport.MAX_LABEL_VALUE);
  }

  @Test
  void shortValuesAreKeptAsTheyAre() {
    SidecarReport.StackGroup group = new SidecarReport.StackGroup(1, List.of("main.main"), Map.of("route", "/a"));
    assertThat(group.labels()).containsExactly(Map.entry("route", "/a"));
    assertThat(new SidecarReport.TraceStacks("abc", 1, 0, null).topFrames()).isNull();
  }
}
