package dev.gopherscope.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopherscope.api.v1alpha1.DebugSession;
import dev.gopherscope.testsupport.PluginCli;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;

/**
 * What a user does with the plugin and what they must see, against whatever cluster {@code cli}'s
 * kubeconfig names: the real API server with stand-ins here, a real node later. The caller makes
 * the namespace and the objects each scenario names.
 */
public final class PluginScenarios {

  private final PluginCli cli;
  private final KubernetesClient admin;

  public PluginScenarios(PluginCli cli, KubernetesClient admin) {
    this.cli = cli;
    this.admin = admin;
  }

  /** Every verb answers --help on stdout with exit status 0; no verb at all prints the usage, exit status 2. */
  public void everyVerbHasHelp() {
    for (String verb : java.util.List.of("goroutines", "trace-stacks", "cpu", "heap", "allocs", "block", "mutex", "trace", "health", "leaks",
        "snapshot", "run", "ls", "get", "diff", "open", "version")) {
      PluginCli.Result help = cli.run(verb, "--help");
      assertThat(help.exitCode()).as(help.all()).isZero();
      assertThat(help.stdout()).startsWith("Usage: kubectl gopherscope " + verb);
    }
    PluginCli.Result none = cli.run();
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.stderr()).contains("Commands:", "goroutines", "trace-stacks");
    PluginCli.Result version = cli.run("version");
    assertThat(version.stdout()).startsWith("kubectl-gopherscope 0.1.0-SNAPSHOT (Java ");
  }

  /** {@code pod/NAME}, a Deployment, a StatefulSet and {@code -l}: each turned into the spec's target, nothing created. */
  public void dryRunShowsTheSessionForEachTargetForm(String ns, String pod, String deployment, String statefulSet) {
    DebugSession byPod = dryRun("goroutines", "pod/" + pod, "-n", ns, "--pprof-port", "6060", "--label", "route=/checkout",
        "--traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "--pause-budget", "50ms",
        "--source", "Pprof", "--count", "2", "--every", "2s", "--name", "dry-by-pod");
    assertThat(byPod.getMetadata().getName()).isEqualTo("dry-by-pod");
    assertThat(byPod.getMetadata().getNamespace()).isEqualTo(ns);
    assertThat(byPod.getSpec().getTarget().getPodName()).isEqualTo(pod);
    assertThat(byPod.getSpec().getFilter().getLabels()).containsEntry("route", "/checkout");
    assertThat(byPod.getSpec().getCaptures().get(0).getCount()).isEqualTo(2);

    var deploySelector = admin.apps().deployments().inNamespace(ns).withName(deployment).get().getSpec().getSelector();
    DebugSession byDeploy = dryRun("cpu", "deploy/" + deployment, "-n", ns, "--pprof-port", "6060", "--duration", "5s",
        "--max-pods", "2");
    assertThat(byDeploy.getSpec().getTarget().getSelector().getMatchLabels()).isEqualTo(deploySelector.getMatchLabels());
    assertThat(byDeploy.getSpec().getTarget().getMaxPods()).isEqualTo(2);
    assertThat(byDeploy.getMetadata().getName()).startsWith("cpu-");

    var stsSelector = admin.apps().statefulSets().inNamespace(ns).withName(statefulSet).get().getSpec().getSelector();
    DebugSession bySts = dryRun("heap", "sts/" + statefulSet, "-n", ns, "--pprof-port", "6060");
    assertThat(bySts.getSpec().getTarget().getSelector().getMatchLabels()).isEqualTo(stsSelector.getMatchLabels());

    DebugSession bySelector = dryRun("trace-stacks", "-l", "app=checkout,tier!=db", "-n", ns);
    assertThat(bySelector.getSpec().getTarget().getSelector().getMatchLabels()).containsEntry("app", "checkout");
    assertThat(bySelector.getSpec().getTarget().getSelector().getMatchExpressions()).singleElement()
        .satisfies(e -> assertThat(e.getOperator()).isEqualTo("NotIn"));

    PluginCli.Result json = cli.run("snapshot", "pod/" + pod, "-n", ns, "--location", "main.handleCheckout", "--dry-run",
        "-o", "json");
    assertThat(json.exitCode()).isZero();
    assertThat(json.stdout()).startsWith("{").contains("\"location\":\"main.handleCheckout\"");
    assertThat(admin.resources(DebugSession.class).inNamespace(ns).list().getItems())
        .as("a dry run creates nothing").noneMatch(s -> s.getMetadata().getName().startsWith("dry-"));
  }

  private DebugSession dryRun(String... args) {
    String[] withDryRun = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
        java.util.stream.Stream.of("--dry-run", "-o", "yaml")).toArray(String[]::new);
    PluginCli.Result result = cli.run(withDryRun);
    assertThat(result.exitCode()).as(result.all()).isZero();
    assertThat(result.stdout()).contains("kind: DebugSession");
    return new KubernetesSerialization().unmarshal(result.stdout(), DebugSession.class);
  }

  /** {@code run -f} creates the session in the file; {@code ls} and {@code get} show it. */
  public void runFromFileThenListAndGet(String ns, Path file, String name) {
    PluginCli.Result created = cli.run("run", "-f", file.toString(), "-n", ns, "--no-wait");
    assertThat(created.exitCode()).as(created.all()).isZero();
    assertThat(created.stdout()).contains("debugsession " + ns + "/" + name + " created");
    assertThat(admin.resources(DebugSession.class).inNamespace(ns).withName(name).get()).isNotNull();

    PluginCli.Result ls = cli.run("ls", "-n", ns);
    assertThat(ls.exitCode()).as(ls.all()).isZero();
    assertThat(ls.stdout()).contains("NAME", "PHASE", "FOUND").contains(name);

    PluginCli.Result all = cli.run("ls", "-A");
    assertThat(all.stdout()).contains("NAMESPACE").contains(ns);

    PluginCli.Result get = cli.run("get", name, "-n", ns);
    assertThat(get.exitCode()).as(get.all()).isZero();
    assertThat(get.stdout()).contains(name);
    PluginCli.Result yaml = cli.run("get", name, "-n", ns, "-o", "yaml");
    assertThat(yaml.stdout()).contains("kind: DebugSession", "name: " + name);
  }

  /** Targets and sessions that do not exist: one line on stderr each, exit status 1. */
  public void missingThingsAreOneLineErrors(String ns) {
    expectError(cli.run("goroutines", "pod/no-such-pod", "-n", ns), "error: no pod no-such-pod in namespace " + ns);
    expectError(cli.run("goroutines", "deploy/no-such-deploy", "-n", ns),
        "error: no deployment no-such-deploy in namespace " + ns);
    expectError(cli.run("goroutines", "sts/no-such-sts", "-n", ns, "--dry-run"),
        "error: no statefulset no-such-sts in namespace " + ns);
    expectError(cli.run("goroutines", "-l", "app=nothing-has-this", "-n", ns),
        "error: no pod in namespace " + ns + " matches -l app=nothing-has-this");
    expectError(cli.run("get", "no-such-session", "-n", ns), "error: no debugsession no-such-session in namespace " + ns);
    expectError(cli.run("goroutines", "svc/checkout", "-n", ns), "error: cannot debug a svc");
  }

  /** The CEL rules of the CRD speak through the plugin: a profile without a pprof port is refused by the API server. */
  public void theApiServersRefusalIsOneLine(String ns, String pod) {
    PluginCli.Result r = cli.run("cpu", "pod/" + pod, "-n", ns);
    expectError(r, "error: the API server refused the session:");
    assertThat(r.stderr()).contains("spec.pprof.port");
  }

  /** A user without {@code create} on debugsessions is told exactly that. */
  public void forbiddenNamesTheMissingVerb(PluginCli limited, String ns, String pod, String user) {
    PluginCli.Result r = limited.run("goroutines", "pod/" + pod, "-n", ns);
    expectError(r, "error: no permission: ");
    assertThat(r.stderr()).contains("User \"" + user + "\" cannot create resource \"debugsessions\" in API group "
        + "\"gopherscope.dev\" in the namespace \"" + ns + "\"");
  }

  /** Without the CRD: every verb that touches sessions says gopherscope is not installed. */
  public void withoutTheCrdItSaysNotInstalled(String ns, String pod) {
    String expected = "error: gopherscope is not installed in this cluster: the API server has no "
        + "debugsessions.gopherscope.dev resource";
    expectError(cli.run("ls", "-n", ns), expected);
    expectError(cli.run("get", "anything", "-n", ns), expected);
    expectError(cli.run("goroutines", "pod/" + pod, "-n", ns), expected);
  }

  static void expectError(PluginCli.Result r, String start) {
    assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
    assertThat(r.stderr().strip()).as("one line on stderr").doesNotContain("\n").startsWith(start);
    assertThat(r.stderr()).doesNotContain("Exception", "\tat ");
  }
}
