package dev.gopherscope.sidecar.pprof;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Go's goroutine dump ({@code /debug/pprof/goroutine?debug=2}, the format of a panic's
 * traceback): each goroutine's id, state and function names, innermost first. The protobuf
 * goroutine profile carries labels but no ids; this carries ids but no labels (unless the app runs
 * with {@code GODEBUG=tracebacklabels=1}).
 */
public final class GoroutineDump {

  /** One goroutine as the dump shows it. */
  public record Goroutine(long id, String state, List<String> functions) {
  }

  private static final Pattern HEADER = Pattern.compile("^goroutine (\\d+)[^\\[]*\\[([^\\]]*)\\]");

  private GoroutineDump() {
  }

  /** Every goroutine of the dump; function names are shared between goroutines, as stacks repeat. */
  public static List<Goroutine> read(BufferedReader lines) throws IOException {
    List<Goroutine> goroutines = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    long id = -1;
    String state = null;
    List<String> functions = null;
    for (String line; (line = lines.readLine()) != null; ) {
      Matcher header = HEADER.matcher(line);
      if (header.find()) {
        if (functions != null) {
          goroutines.add(new Goroutine(id, state, List.copyOf(functions)));
        }
        id = Long.parseLong(header.group(1));
        state = header.group(2);
        functions = new ArrayList<>();
      } else if (functions != null && line.startsWith("created by ")) {
        goroutines.add(new Goroutine(id, state, List.copyOf(functions)));
        functions = null;
      } else if (functions != null && !line.isEmpty() && !line.startsWith("\t") && !line.startsWith("...")) {
        // "pkg.(*T).method(0x1, {0x2, 0x3})": the arguments start at the last parenthesis.
        int args = line.lastIndexOf('(');
        String function = args > 0 ? line.substring(0, args) : line;
        functions.add(names.computeIfAbsent(function, f -> f));
      }
    }
    if (functions != null) {
      goroutines.add(new Goroutine(id, state, List.copyOf(functions)));
    }
    return goroutines;
  }
}
