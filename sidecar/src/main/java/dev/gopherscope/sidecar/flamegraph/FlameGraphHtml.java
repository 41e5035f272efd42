package dev.gopherscope.sidecar.flamegraph;

import dev.gopherscope.sidecar.pprof.PprofProfile;
import dev.gopherscope.sidecar.pprof.PprofProfile.ValueType;
import java.util.List;
import java.util.Locale;

/**
 * A flame graph (an icicle: callers on top) of one sample type of a profile, as one
 * self-contained HTML page: inline CSS and script, no request to anywhere (its Content Security
 * Policy forbids any), so it opens from an object store link or a laptop's disk alike. Click a
 * frame to zoom in, search to highlight.
 *
 * <p>Function names and labels come from the profiled app and are untrusted. They are written
 * only as text: HTML-escaped in the heading, and inside the page's data block as JSON strings in
 * which {@code <}, {@code >} and {@code &} are {@code \}u-escaped, so no name can close the block
 * or open a tag; the script puts them on the page with {@code textContent}, never as markup.
 * The size is bounded by {@link FlameTree}'s limits.
 */
public final class FlameGraphHtml {

  private FlameGraphHtml() {
  }

  /**
   * The sample type pprof shows by default: the one {@code default_sample_type} names, otherwise
   * the last (for a CPU profile, {@code cpu/nanoseconds}; for a heap profile, {@code inuse_space}).
   */
  public static int defaultSampleType(PprofProfile profile) {
    List<ValueType> types = profile.sampleTypes();
    if (profile.defaultSampleType() != 0) {
      String wanted = profile.string(profile.defaultSampleType());
      for (int i = 0; i < types.size(); i++) {
        if (profile.string(types.get(i).type()).equals(wanted)) {
          return i;
        }
      }
    }
    return types.size() - 1;
  }

  /**
   * The page for sample type {@code sampleType} of {@code profile}.
   *
   * @param what what was captured, e.g. {@code CPUProfile}
   * @param pod the pod (or process) it was captured from
   * @param note one more line for the reader, e.g. which filter applied; empty for none
   */
  public static String render(PprofProfile profile, int sampleType, String what, String pod, String note) {
    FlameTree tree = FlameTree.of(profile, sampleType);
    ValueType type = profile.sampleTypes().get(sampleType);
    String unit = profile.string(type.unit());
    String title = what + " of " + pod + " — " + profile.string(type.type()) + " " + new Quantity(tree.total(), unit)
        + " in " + String.format(Locale.ROOT, "%,d", profile.samples().size()) + " samples";
    return page(title, note, tree, unit, false);
  }

  /**
   * The page of a difference of two profiles ({@code ProfileDifference}): what grew (warm colours)
   * and what shrank (cool colours) side by side under the root, each as wide as it changed.
   */
  public static String renderDifference(PprofProfile difference, int sampleType, String what, String pod,
      String note) {
    FlameTree tree = FlameTree.ofDifference(difference, sampleType);
    ValueType type = difference.sampleTypes().get(sampleType);
    String unit = difference.string(type.unit());
    long grew = 0;
    long shrank = 0;
    for (int s = 0; s < difference.samples().size(); s++) {
      long value = difference.samples().value(s, sampleType);
      grew += Math.max(0, value);
      shrank += Math.max(0, -value);
    }
    String title = what + " of " + pod + " — " + difference.string(type.type()) + " grew "
        + new Quantity(grew, unit) + ", shrank " + new Quantity(shrank, unit) + ", net "
        + (grew >= shrank ? "+" : "-") + new Quantity(Math.abs(grew - shrank), unit);
    return page(title, note, tree, unit, true);
  }

  private static String page(String title, String note, FlameTree tree, String unit, boolean difference) {
    StringBuilder html = new StringBuilder(4096 + tree.size() * 24);
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
        .append("style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n")
        .append("<title>").append(escapeHtml(title)).append("</title>\n")
        .append("<style>").append(STYLE).append("</style></head><body>\n")
        .append("<h1>").append(escapeHtml(title)).append("</h1>\n");
    if (!note.isEmpty()) {
      html.append("<p class=\"note\">").append(escapeHtml(note)).append("</p>\n");
    }
    if (difference) {
      html.append("<p class=\"note\">Under \"").append(FlameTree.GREW).append("\" (warm colours) the stacks that ")
          .append("grew, under \"").append(FlameTree.SHRANK).append("\" (cool colours) those that shrank, each as ")
          .append("wide as it changed.</p>\n");
    }
    html.append("<p class=\"note\">Frames under ").append(FlameTree.MIN_FRACTION * 100)
        .append("% of the total are merged into \"").append(FlameTree.OTHER)
        .append("\". Click a frame to zoom, the top row to zoom out.</p>\n")
        .append("<p><input id=\"search\" placeholder=\"highlight functions containing…\" size=\"40\"> ")
        .append("<button id=\"reset\">reset zoom</button> <span id=\"info\"></span></p>\n")
        .append("<div id=\"graph\"></div>\n")
        .append("<script type=\"application/json\" id=\"data\">");
    appendData(html, tree, unit, difference);
    html.append("</script>\n<script>").append(SCRIPT).append("</script>\n</body></html>\n");
    return html.toString();
  }

  private static void appendData(StringBuilder out, FlameTree tree, String unit, boolean difference) {
    out.append("{\"unit\":");
    appendJsonString(out, unit);
    out.append(",\"difference\":").append(difference);
    out.append(",\"names\":[");
    for (int i = 0; i < tree.names().size(); i++) {
      out.append(i == 0 ? "" : ",");
      appendJsonString(out, tree.names().get(i));
    }
    out.append("],\"name\":[");
    for (int i = 0; i < tree.size(); i++) {
      out.append(i == 0 ? "" : ",").append(tree.nameIndex(i));
    }
    out.append("],\"parent\":[");
    for (int i = 0; i < tree.size(); i++) {
      out.append(i == 0 ? "" : ",").append(tree.parent(i));
    }
    out.append("],\"value\":[");
    for (int i = 0; i < tree.size(); i++) {
      out.append(i == 0 ? "" : ",").append(tree.value(i));
    }
    out.append("]}");
  }

  /** A JSON string that is also inert inside a {@code <script>} element. */
  static void appendJsonString(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  static String escapeHtml(String value) {
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static final String STYLE = """
      body{font:14px system-ui,sans-serif;margin:16px;color:#222}
      h1{font-size:16px;margin:0 0 4px}
      .note{color:#555;margin:2px 0}
      #info{font-family:monospace}
      #graph{position:relative;width:100%;margin-top:8px}
      .f{position:absolute;height:17px;line-height:17px;overflow:hidden;white-space:nowrap;box-sizing:border-box;\
      border-right:1px solid #fff;padding-left:3px;font:12px monospace;cursor:pointer}
      .f:hover{outline:1px solid #000}
      .hit{background:#c040e0!important;color:#fff}
      """;

  private static final String SCRIPT = """
      (function () {
        var d = JSON.parse(document.getElementById('data').textContent);
        var n = d.value.length, kids = [], i;
        for (i = 0; i < n; i++) kids.push([]);
        for (i = 1; i < n; i++) kids[d.parent[i]].push(i);
        // In a difference, each frame is coloured by the branch it is under: grew (warm) or shrank (cool).
        var cool = [];
        for (i = 0; i < n; i++) cool.push(i > 0 && (d.parent[i] === 0 ? d.names[d.name[i]] === 'shrank' : cool[d.parent[i]]));
        var graph = document.getElementById('graph'), info = document.getElementById('info');
        var search = document.getElementById('search'), ROW = 18, focus = 0;
        function fmt(v) {
          if (d.unit === 'nanoseconds') return v >= 1e9 ? (v / 1e9).toFixed(2) + ' s' : (v / 1e6).toFixed(2) + ' ms';
          if (d.unit === 'bytes') {
            var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], k = 0;
            while (v >= 1024 && k < u.length - 1) { v /= 1024; k++; }
            return (k ? v.toFixed(1) : v) + ' ' + u[k];
          }
          return v.toLocaleString() + (d.unit && d.unit !== 'count' ? ' ' + d.unit : '');
        }
        function describe(j) {
          return d.names[d.name[j]] + ' \\u2014 ' + fmt(d.value[j]) + ' (' + (100 * d.value[j] / d.value[0]).toFixed(2) + '%)';
        }
        function color(name, j) {
          var h = 0;
          for (var k = 0; k < name.length; k++) h = (h * 31 + name.charCodeAt(k)) | 0;
          h = Math.abs(h);
          var hue = d.difference && cool[j] ? 190 + h % 50 : 8 + h % 42;
          return 'hsl(' + hue + ',' + (65 + (h >> 6) % 25) + '%,' + (58 + (h >> 12) % 14) + '%)';
        }
        function render() {
          graph.textContent = '';
          if (!n || !d.value[0]) { graph.textContent = 'no samples'; return; }
          var q = search.value.toLowerCase(), width = d.value[focus], chain = [], rows = 0;
          for (var a = d.parent[focus]; a >= 0; a = d.parent[a]) chain.unshift(a);
          function box(j, row, x, w) {
            var el = document.createElement('div'), name = d.names[d.name[j]];
            el.className = 'f' + (q && name.toLowerCase().indexOf(q) >= 0 ? ' hit' : '');
            el.style.left = x + '%';
            el.style.width = w + '%';
            el.style.top = (row * ROW) + 'px';
            el.style.background = color(name, j);
            el.textContent = name;
            el.title = describe(j);
            el.onmouseover = function () { info.textContent = describe(j); };
            el.onclick = function () { focus = (j === focus ? Math.max(d.parent[j], 0) : j); render(); };
            graph.appendChild(el);
            if (row + 1 > rows) rows = row + 1;
          }
          chain.forEach(function (j, row) { box(j, row, 0, 100); });
          var pending = [[focus, chain.length, 0]];
          while (pending.length) {
            var p = pending.pop(), w = 100 * d.value[p[0]] / width;
            if (w < 0.05) continue;
            box(p[0], p[1], p[2], w);
            var x = p[2];
            kids[p[0]].forEach(function (c) { pending.push([c, p[1] + 1, x]); x += 100 * d.value[c] / width; });
          }
          graph.style.height = (rows * ROW + ROW) + 'px';
        }
        search.oninput = render;
        document.getElementById('reset').onclick = function () { focus = 0; render(); };
        render();
      })();
      """;
}
