package dev.gopherscope.testsupport;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays the kubelet's part, which the test environment lacks (no nodes): marks pods Running and,
 * for each ephemeral container the operator injects, starts a local process with exactly the
 * command and environment written into the container spec (secretKeyRef values resolved from
 * the Secret, as the kubelet would), and reports its state in the pod status.
 */
public final class KubeletStandIn implements AutoCloseable {

  private final KubernetesClient client;
  private final Map<String, ManagedProcess> started = new ConcurrentHashMap<>();
  private final Set<String> refusedToStart = ConcurrentHashMap.newKeySet();
  private final Map<String, Map<String, String>> startedEnv = new ConcurrentHashMap<>();
  private final Set<String> pods = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "kubelet-stand-in");
    t.setDaemon(true);
    return t;
  });

  public KubeletStandIn(KubernetesClient client) {
    this.client = client;
    loop.scheduleWithFixedDelay(this::syncAll, 100, 100, TimeUnit.MILLISECONDS);
  }

  /** Creates {@code pod} and reports it Running with all containers running. */
  public Pod runPod(Pod pod) {
    Pod created = client.resource(pod).create();
    Pod running = client.pods().inNamespace(created.getMetadata().getNamespace()).withName(created.getMetadata().getName())
        .editStatus(p -> new PodBuilder(p).editOrNewStatus()
            .withPhase("Running")
            .withContainerStatuses(p.getSpec().getContainers().stream().map(c -> running(c.getName(), c.getImage())).toList())
            .endStatus().build());
    pods.add(key(running));
    return running;
  }

  /** A minimal pod spec with one container named {@code container}. */
  public static Pod pod(String namespace, String name, String container, Map<String, String> labels) {
    return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName(container).withImage("example.invalid/checkout:1").endContainer()
        .endSpec().build();
  }

  /** From now on, ephemeral containers injected into this pod are never started (image pull fails). */
  public void refuseToStart(Pod pod) {
    refusedToStart.add(key(pod));
  }

  /** The environment an ephemeral container was started with, secrets resolved. */
  public Map<String, String> environmentOf(String namespace, String pod, String container) {
    return startedEnv.getOrDefault(namespace + "/" + pod + "/" + container, Map.of());
  }

  /** The process playing an ephemeral container, once started. */
  public ManagedProcess process(String namespace, String pod, String container) {
    return started.get(namespace + "/" + pod + "/" + container);
  }

  private void syncAll() {
    for (String key : pods) {
      try {
        String[] parts = key.split("/", 2);
        Pod pod = client.pods().inNamespace(parts[0]).withName(parts[1]).get();
        if (pod == null) {
          pods.remove(key);
          continue;
        }
        sync(pod);
      } catch (RuntimeException e) {
        // The next tick retries; a test's own assertions report what went wrong.
      }
    }
  }

  private void sync(Pod pod) {
    if (pod.getSpec().getEphemeralContainers() == null) {
      return;
    }
    List<ContainerStatus> statuses = new ArrayList<>();
    for (EphemeralContainer container : pod.getSpec().getEphemeralContainers()) {
      String id = key(pod) + "/" + container.getName();
      if (refusedToStart.contains(key(pod))) {
        statuses.add(new ContainerStatusBuilder().withName(container.getName()).withImage(container.getImage())
            .withImageID("").withReady(false).withRestartCount(0).withNewState().withNewWaiting()
            .withReason("ErrImagePull").withMessage("pull access denied for " + container.getImage())
            .endWaiting().endState().build());
        continue;
      }
      ManagedProcess process = started.computeIfAbsent(id, k -> start(pod, container));
      if (process.isAlive()) {
        statuses.add(running(container.getName(), container.getImage()));
      } else {
        statuses.add(new ContainerStatusBuilder().withName(container.getName()).withImage(container.getImage())
            .withImageID("").withReady(false).withRestartCount(0).withNewState().withNewTerminated()
            .withExitCode(process.process().exitValue()).withReason(process.process().exitValue() == 0 ? "Completed" : "Error")
            .withFinishedAt(Instant.now().toString()).endTerminated().endState().build());
      }
    }
    if (!statuses.equals(pod.getStatus().getEphemeralContainerStatuses())) {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .editStatus(p -> new PodBuilder(p).editStatus().withEphemeralContainerStatuses(statuses).endStatus().build());
    }
  }

  private ManagedProcess start(Pod pod, EphemeralContainer container) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : container.getEnv()) {
      env.put(var.getName(), var.getValue() != null ? var.getValue() : secretValue(pod, var));
    }
    List<String> command = new ArrayList<>(container.getCommand());
    if (container.getArgs() != null) {
      command.addAll(container.getArgs());
    }
    startedEnv.put(key(pod) + "/" + container.getName(), env);
    Path log = TestEnvironment.scratchDir("logs").resolve(pod.getMetadata().getName() + "-" + container.getName() + ".log");
    return ManagedProcess.start(container.getName(), command, env, log, null);
  }

  private String secretValue(Pod pod, EnvVar var) {
    var ref = var.getValueFrom().getSecretKeyRef();
    Secret secret = client.secrets().inNamespace(pod.getMetadata().getNamespace()).withName(ref.getName()).get();
    String encoded = secret == null || secret.getData() == null ? null : secret.getData().get(ref.getKey());
    if (encoded == null) {
      throw new IllegalStateException("secret " + ref.getName() + " has no key " + ref.getKey()
          + " (a kubelet would report CreateContainerConfigError)");
    }
    return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
  }

  private static ContainerStatus running(String name, String image) {
    return new ContainerStatusBuilder().withName(name).withImage(image).withImageID("").withReady(true)
        .withRestartCount(0).withStarted(true).withNewState().withNewRunning().withStartedAt(Instant.now().toString())
        .endRunning().endState().build();
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  /** Containers of a pod, for assertions. */
  public static List<String> containerNames(Pod pod) {
    return pod.getSpec().getContainers().stream().map(Container::getName).toList();
  }

  @Override
  public void close() {
    loop.shutdownNow();
    started.values().forEach(ManagedProcess::close);
  }
}
