package dev.gopherscope.sidecar.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopherscope.contract.SidecarPlan;
import dev.gopherscope.sidecar.output.ArtifactSpool;
import dev.gopherscope.sidecar.output.SpooledArtifact;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactSinkTest {

  @TempDir
  Path spool;

  @Test
  void writesOnlyPlannedNamesWithThePlansKindAndContentType() {
    SidecarPlan plan = TestSessions.plan("{pprof: {port: 1}, captures: [{kind: Heap}, {kind: TraceStacks}]}");
    ArtifactSink sink = new ArtifactSink(new ArtifactSpool(spool), plan.artifacts());

    SpooledArtifact html = sink.writeText("heap.html", "<html></html>");
    SpooledArtifact json = sink.writeJson("trace-stacks.json", Map.of("traces", 0));
    SpooledArtifact report = sink.writeJson("report.json", Map.of());

    assertThat(html.kind()).isEqualTo("Heap");
    assertThat(html.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(json.kind()).isEqualTo("TraceStacks");
    assertThat(report.kind()).isEqualTo(ArtifactSink.REPORT_KIND);
    assertThat(sink.writtenFor(0)).containsExactly(html);
    assertThat(sink.writtenFor(1)).containsExactly(json);
    assertThat(sink.written()).containsExactly(html, json, report);
    assertThatThrownBy(() -> sink.writeText("cpu.html", "x")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no artifact named cpu.html");
  }
}
