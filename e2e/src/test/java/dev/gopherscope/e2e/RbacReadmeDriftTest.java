package dev.gopherscope.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README lists the operator's RBAC verb by verb (issue 8): every resource/verb pair the chart
 * grants must be in that table with a reason, and the table must claim nothing the chart lacks.
 */
class RbacReadmeDriftTest {

  private static final Path REPO = CrdChartDriftTest.repoRoot();
  private static final Pattern RULE = Pattern.compile(
      "resources: \\[([^]]*)]\\s*(?:resourceNames: \\[[^]]*]\\s*)?verbs: \\[([^]]*)]");
  private static final Pattern ROW = Pattern.compile("(?m)^\\| ((?:`[^`]+`[ ,]*(?:\\([^)]*\\))?\\s*)+)\\| ([^|]+)\\| [^|]{10,}\\|$");
  private static final Pattern TICKED = Pattern.compile("`([^`]+)`");

  @Test
  void theReadmeListsExactlyTheVerbsTheChartGrants() throws Exception {
    Set<String> granted = new TreeSet<>();
    Matcher rules = RULE.matcher(Files.readString(REPO.resolve("helm/gopherscope/templates/rbac.yaml")));
    while (rules.find()) {
      for (String resource : unquote(rules.group(1))) {
        for (String verb : unquote(rules.group(2))) {
          granted.add(resource + " " + verb);
        }
      }
    }
    String readme = Files.readString(REPO.resolve("README.md"));
    String section = readme.substring(readme.indexOf("The operator's RBAC in the chart"),
        readme.indexOf("## The DebugSession resource"));
    Set<String> documented = new TreeSet<>();
    Matcher rows = ROW.matcher(section);
    while (rows.find()) {
      for (String resource : ticked(rows.group(1))) {
        for (String verb : ticked(rows.group(2))) {
          documented.add(resource + " " + verb);
        }
      }
    }
    documented.remove("metrics.k8s.io get"); // the API group named in the first column
    assertThat(granted).as("rules found in rbac.yaml").hasSizeGreaterThan(20);
    assertThat(documented).as("the README's RBAC table against the chart").isEqualTo(granted);
  }

  private static Set<String> unquote(String list) {
    Set<String> items = new TreeSet<>();
    Arrays.stream(list.split(",")).map(s -> s.trim().replace("\"", "")).filter(s -> !s.isEmpty()).forEach(items::add);
    return items;
  }

  private static Set<String> ticked(String cell) {
    Set<String> items = new TreeSet<>();
    Matcher m = TICKED.matcher(cell);
    while (m.find()) {
      items.add(m.group(1));
    }
    return items;
  }
}
