package dev.gopherscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figures measured in one {@code make bench} run, each with its target, the comparison measured in
 * the same run and the command that produced it, written as Markdown and JSON.
 */
final class BenchResults {

  /** One measured figure; {@code met} is null when the figure has no target. */
  record Figure(String section, String name, double value, String unit, String target, Boolean met,
      String comparison, String command) {
  }

  private final List<Figure> figures = new ArrayList<>();
  private final Map<String, String> notes = new LinkedHashMap<>();

  synchronized void add(Figure figure) {
    figures.add(figure);
    System.out.printf(Locale.ROOT, "[bench] %s / %s: %s %s%s%n", figure.section(), figure.name(),
        format(figure.value()), figure.unit(), figure.target() == null ? "" : "  (target " + figure.target()
            + (figure.met() == null ? "" : figure.met() ? ", met" : ", missed") + ")");
  }

  synchronized void note(String section, String text) {
    notes.merge(section, text, (a, b) -> a + "\n\n" + b);
  }

  void write(Path markdown, Path json, Map<String, String> machine) throws IOException {
    String kept = keepEarlierSections(json);
    StringBuilder md = new StringBuilder("# gopherscope benchmarks\n\n");
    md.append("Written by `make bench` on ").append(Instant.now()).append(". Figures are from this machine, in this run; ")
        .append("they report, they do not fail the build.\n\n");
    machine.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    if (kept != null) {
      md.append("\nSections this run did not measure are kept from the run written ").append(kept).append(".\n");
    }
    String section = null;
    // Sections in the order ("1. ...", "2. ..."), whatever order the benchmarks ran in.
    List<Figure> ordered = new ArrayList<>(figures);
    ordered.sort(java.util.Comparator.comparingInt(f -> number(f.section())));
    for (Figure f : ordered) {
      if (!f.section().equals(section)) {
        section = f.section();
        md.append("\n## ").append(section).append("\n\n");
        if (notes.containsKey(section)) {
          md.append(notes.get(section)).append("\n\n");
        }
        md.append("| figure | value | target | comparison (same run) | command |\n| --- | --- | --- | --- | --- |\n");
      }
      md.append("| ").append(f.name()).append(" | ").append(format(f.value())).append(' ').append(f.unit())
          .append(" | ").append(f.target() == null ? "" : f.target() + (f.met() == null ? "" : f.met() ? " ✅" : " ❌"))
          .append(" | ").append(f.comparison() == null ? "" : f.comparison())
          .append(" | `").append(f.command()).append("` |\n");
    }
    // A benchmark that failed before its first figure still says why.
    notes.forEach((noted, text) -> {
      if (figures.stream().noneMatch(f -> f.section().equals(noted))) {
        md.append("\n## ").append(noted).append("\n\n").append(text).append('\n');
      }
    });
    Files.writeString(markdown, md.toString());
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("written", Instant.now().toString());
    document.put("machine", machine);
    document.put("figures", figures);
    document.put("notes", notes);
    JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValue(json.toFile(), document);
  }

  /**
   * Adds the figures and notes of sections this run did not measure from the results file it is
   * about to replace, so that {@code make bench BENCH=one} updates one section and loses no other.
   * Returns when those were written, or null when nothing was kept.
   */
  private synchronized String keepEarlierSections(Path json) throws IOException {
    if (!Files.exists(json)) {
      return null;
    }
    JsonNode earlier = JsonMapper.builder().build().readTree(json.toFile());
    // By number: a section renamed since the earlier run ("2. ...") replaces its old title.
    java.util.Set<String> measured = new java.util.HashSet<>();
    notes.keySet().forEach(section -> measured.add(key(section)));
    figures.forEach(f -> measured.add(key(f.section())));
    boolean keptAny = false;
    for (JsonNode f : earlier.path("figures")) {
      if (!measured.contains(key(f.path("section").asText()))) {
        figures.add(new Figure(f.path("section").asText(), f.path("name").asText(), f.path("value").asDouble(),
            f.path("unit").asText(), f.path("target").isNull() ? null : f.path("target").asText(),
            f.path("met").isNull() ? null : f.path("met").asBoolean(),
            f.path("comparison").isNull() ? null : f.path("comparison").asText(), f.path("command").asText()));
        keptAny = true;
      }
    }
    var earlierNotes = earlier.path("notes").fields();
    while (earlierNotes.hasNext()) {
      var note = earlierNotes.next();
      if (!measured.contains(key(note.getKey()))) {
        notes.put(note.getKey(), note.getValue().asText());
        keptAny = true;
      }
    }
    return keptAny ? earlier.path("written").asText() : null;
  }

  /** What identifies a section across runs: its number, or its title if it has none. */
  private static String key(String section) {
    int number = number(section);
    return number == Integer.MAX_VALUE ? section : String.valueOf(number);
  }

  private static int number(String section) {
    int dot = section.indexOf('.');
    try {
      return dot > 0 ? Integer.parseInt(section.substring(0, dot).trim()) : Integer.MAX_VALUE;
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.format(Locale.ROOT, "%d", (long) value)
        : String.format(Locale.ROOT, "%.2f", value);
  }
}
