package dev.gopherscope.plugin;

import dev.gopherscope.api.v1alpha1.DebugSession;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.Console;
import java.io.PrintWriter;

/** After Ctrl-C: asks whether to delete the session (which stops it), or leaves it running when no one can answer. */
final class InterruptPrompt {

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final PrintWriter out;

  InterruptPrompt(KubernetesClient client, String namespace, String name, PrintWriter out) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.out = out;
  }

  int ask() {
    Console console = System.console();
    if (console == null) {
      out.println("interrupted; debugsession " + namespace + "/" + name + " keeps running (kubectl delete dbg " + name
          + " -n " + namespace + " stops it)");
      out.flush();
      return ExitCodes.INTERRUPTED;
    }
    out.flush();
    String answer = console.readLine("Delete debugsession %s/%s? [y/N] ",
        namespace, name);
    if (answer != null && answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y")) {
      client.resources(DebugSession.class).inNamespace(namespace).withName(name).delete();
      out.println("debugsession " + namespace + "/" + name + " deleted");
    } else {
      out.println("debugsession " + namespace + "/" + name + " keeps running; see it with kubectl gopherscope get " + name);
    }
    out.flush();
    return ExitCodes.INTERRUPTED;
  }
}
