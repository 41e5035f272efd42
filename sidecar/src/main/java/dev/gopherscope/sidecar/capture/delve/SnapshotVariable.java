package dev.gopherscope.sidecar.capture.delve;

import dev.gopherscope.sidecar.delve.DelveTypes.Variable;
import java.util.List;

/**
 * A variable at a breakpoint hit, as far as the load config let Delve read it.
 *
 * @param name the variable's name (a field's name for struct members, empty for elements)
 * @param type its Go type
 * @param value its value for scalars and strings (a string is cut at the load limit), else empty
 * @param length the real length of a string, slice, array, map or channel
 * @param children elements, fields or map entries (keys and values alternating), as loaded
 * @param unreadable why Delve could not read it, or empty
 */
public record SnapshotVariable(String name, String type, String value, long length, List<SnapshotVariable> children,
    String unreadable) {

  public SnapshotVariable {
    children = List.copyOf(children);
  }

  static SnapshotVariable of(Variable v) {
    return new SnapshotVariable(orEmpty(v.name()), orEmpty(v.type()), orEmpty(v.value()), v.len(),
        v.childrenOrEmpty().stream().map(SnapshotVariable::of).toList(), orEmpty(v.unreadable()));
  }

  static List<SnapshotVariable> all(List<Variable> variables) {
    return variables == null ? List.of() : variables.stream().map(SnapshotVariable::of).toList();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
