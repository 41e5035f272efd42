package dev.gopherscope.plugin;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A kubectl {@code -l} selector ({@code app=a,tier!=b,env in (x,y),release,!canary}) as a LabelSelector. */
final class SelectorParser {

  private static final Pattern SET = Pattern.compile("^(\\S+)\\s+(in|notin)\\s*\\(([^)]*)\\)$");
  private static final Pattern EQUALITY = Pattern.compile("^([^=!\\s]+)\\s*(==|=|!=)\\s*(\\S*)$");
  private static final Pattern KEY = Pattern.compile("^!?[^=!()\\s,]+$");

  private SelectorParser() {
  }

  static LabelSelector parse(String selector) {
    Map<String, String> matchLabels = new LinkedHashMap<>();
    List<LabelSelectorRequirement> expressions = new ArrayList<>();
    for (String requirement : split(selector)) {
      String r = requirement.strip();
      Matcher set = SET.matcher(r);
      Matcher equality = EQUALITY.matcher(r);
      if (set.matches()) {
        List<String> values = new ArrayList<>();
        for (String v : set.group(3).split(",")) {
          if (!v.isBlank()) {
            values.add(v.strip());
          }
        }
        expressions.add(new LabelSelectorRequirement(set.group(1), set.group(2).equals("in") ? "In" : "NotIn", values));
      } else if (equality.matches()) {
        if (equality.group(2).equals("!=")) {
          expressions.add(new LabelSelectorRequirement(equality.group(1), "NotIn", List.of(equality.group(3))));
        } else {
          matchLabels.put(equality.group(1), equality.group(3));
        }
      } else if (KEY.matcher(r).matches()) {
        boolean absent = r.startsWith("!");
        expressions.add(new LabelSelectorRequirement(absent ? r.substring(1) : r, absent ? "DoesNotExist" : "Exists",
            null));
      } else {
        throw new UserError("cannot read selector requirement '" + r + "' in -l " + selector
            + " (write key=value, key!=value, key in (a,b), key notin (a,b), key or !key)");
      }
    }
    if (matchLabels.isEmpty() && expressions.isEmpty()) {
      throw new UserError("-l needs at least one label: an empty selector would match every pod");
    }
    return new LabelSelector(expressions.isEmpty() ? null : expressions, matchLabels.isEmpty() ? null : matchLabels);
  }

  /** Splits on the commas between requirements, not those inside {@code in (a,b)}. */
  private static List<String> split(String selector) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(selector.substring(start));
    parts.removeIf(String::isBlank);
    return parts;
  }
}
