import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Runs inside an unpacked image (images/verify-image.sh) on the image's own JRE, classpath and
 * user, and checks what the application needs of that JRE beyond starting: the modules jdeps
 * cannot see, the native pieces a scratch image could lack, and the main class linking.
 *
 * <p>Usage: {@code ImageProbe MAIN_CLASS [EXECUTABLE_TO_SPAWN]}
 */
public final class ImageProbe {

  private final List<String> failures = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    ImageProbe probe = new ImageProbe();
    String mainClass = args[0];
    probe.check("text and file names are UTF-8 (LANG=C.UTF-8 and its locale are in the image)", () ->
        "UTF-8".equals(System.getProperty("file.encoding")) && "UTF-8".equals(System.getProperty("sun.jnu.encoding")));
    probe.check("the user has a name (/etc/passwd): " + System.getProperty("user.name"), () ->
        !"?".equals(System.getProperty("user.name")));
    probe.check("TLS 1.3 is available", () ->
        Arrays.asList(SSLContext.getDefault().createSSLEngine().getSupportedProtocols()).contains("TLSv1.3"));
    probe.check("elliptic-curve keys and key agreement (jdk.crypto.ec) for TLS", () -> {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      generator.generateKeyPair();
      KeyAgreement.getInstance("ECDH");
      KeyAgreement.getInstance("X25519");
      return true;
    });
    probe.check("the JRE's trust store has public CAs (TLS to S3 and public endpoints)", () -> {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((java.security.KeyStore) null);
      return ((X509TrustManager) factory.getTrustManagers()[0]).getAcceptedIssuers().length > 50;
    });
    probe.check("time-zone data", () -> ZoneId.of("Europe/Berlin").getRules() != null);
    probe.check("a spool directory can be made under /tmp", () -> {
      Path spool = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "probe");
      Files.writeString(spool.resolve("artifact"), "x");
      Files.delete(spool.resolve("artifact"));
      Files.delete(spool);
      return true;
    });
    probe.check("loopback TCP (how the sidecar talks to dlv and the app's pprof)", ImageProbe::loopbackRoundTrip);
    probe.check("main class " + mainClass + " links", () ->
        Class.forName(mainClass, false, ImageProbe.class.getClassLoader()).getMethod("main", String[].class) != null);
    if (args.length > 1) {
      probe.check("starts " + args[1] + " as a child process (jspawnhelper)", () -> spawn(args[1]));
    }
    if (!probe.failures.isEmpty()) {
      System.out.println("probe: " + probe.failures.size() + " check(s) failed");
      System.exit(1);
    }
  }

  private void check(String what, Callable<Boolean> condition) {
    String outcome;
    try {
      outcome = condition.call() ? null : "false";
    } catch (Throwable e) {
      outcome = e.toString();
    }
    if (outcome == null) {
      System.out.println("probe ok: " + what);
    } else {
      System.out.println("probe FAILED: " + what + ": " + outcome);
      failures.add(what);
    }
  }

  private static boolean loopbackRoundTrip() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket accepted = server.accept()) {
      client.getOutputStream().write(42);
      return accepted.getInputStream().read() == 42;
    }
  }

  private static boolean spawn(String executable) throws Exception {
    Process process = new ProcessBuilder(executable, "version").redirectErrorStream(true).start();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (InputStream in = process.getInputStream(); OutputStream out = output) {
      in.transferTo(out);
    }
    boolean exited = process.waitFor(30, TimeUnit.SECONDS);
    String text = output.toString(StandardCharsets.UTF_8);
    System.out.println(text.strip().replaceAll("(?m)^", "  | "));
    return exited && process.exitValue() == 0 && text.contains("Version:");
  }
}
