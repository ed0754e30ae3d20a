package io.featurelake.gateway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The cluster of {@code ./run_cluster.sh} (a Spark standalone master, two workers, a 3-master
 * Redis Cluster) in a test's own state directory on free ports; {@link #close()} runs {@code down}.
 * Its processes are found by the pid files the script writes, so a test can kill one and
 * {@link #up()} starts it again.
 */
public final class LocalCluster implements AutoCloseable {

  private final Path projectRoot;
  private final Path dir;
  private final int sparkPort;
  private final int uiPort;
  private final List<Integer> redisPorts;

  private LocalCluster(Path projectRoot, Path dir) {
    this.projectRoot = projectRoot;
    this.dir = dir;
    this.sparkPort = TestPorts.free();
    // Master UI and the two workers' UIs on consecutive ports; a free one found with its neighbours free.
    this.uiPort = threeFreePorts();
    List<Integer> ports = new ArrayList<>();
    while (ports.size() < 3) {
      int p = TestPorts.free();
      if (p < 55_000 && !ports.contains(p) && p != sparkPort && Math.abs(p - uiPort) > 2) {
        ports.add(p); // the bus port, p + 10000, must be a valid port too
      }
    }
    this.redisPorts = List.copyOf(ports);
  }

  public static LocalCluster start(Path dir) throws Exception {
    Path root = Path.of(System.getProperty("featurelake.test.project-root")).toRealPath();
    LocalCluster cluster = new LocalCluster(root, dir);
    try {
      cluster.up();
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private static int threeFreePorts() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int p = TestPorts.free();
      if (p < 65_000 && TestPorts.isFree(p + 1) && TestPorts.isFree(p + 2)) {
        return p;
      }
    }
    throw new IllegalStateException("no three consecutive free ports found");
  }

  public String masterUrl() {
    return "spark://127.0.0.1:" + sparkPort;
  }

  public List<String> redisSeeds() {
    return redisPorts.stream().map(p -> "127.0.0.1:" + p).toList();
  }

  public List<Integer> redisPorts() {
    return redisPorts;
  }

  /** {@code ./run_cluster.sh up}: starts whatever is not running and waits until all is ready. */
  public String up() throws Exception {
    return script("up");
  }

  public String status() throws Exception {
    return script("status");
  }

  /** Pid of a process the script started ({@code master}, {@code worker-1}, {@code redis-<port>}), if it runs. */
  public Optional<Long> pid(String name) throws IOException {
    Path file = dir.resolve("pids").resolve(name + ".pid");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    long pid = Long.parseLong(Files.readString(file).trim());
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> pid);
  }

  /** The executor JVM a worker launched for an application, by its {@code --executor-id}. */
  public Optional<ProcessHandle> executorOf(String worker, String executorId) throws IOException {
    long pid = pid(worker).orElseThrow(() -> new IllegalStateException(worker + " is not running"));
    return ProcessHandle.of(pid).orElseThrow().children()
        .filter(child -> {
          try {
            String cmd = Files.readString(Path.of("/proc", String.valueOf(child.pid()), "cmdline")).replace('\0', ' ');
            return cmd.contains(" --executor-id " + executorId + " ");
          } catch (IOException gone) {
            return false;
          }
        }).findFirst();
  }

  private String script(String command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(projectRoot.resolve("run_cluster.sh").toString(), command)
        .directory(projectRoot.toFile()).redirectErrorStream(true);
    Map<String, String> env = new HashMap<>();
    env.put("FEATURELAKE_CLUSTER_DIR", dir.toString());
    env.put("FEATURELAKE_CLUSTER_SPARK_PORT", String.valueOf(sparkPort));
    env.put("FEATURELAKE_CLUSTER_SPARK_UI_PORT", String.valueOf(uiPort));
    env.put("FEATURELAKE_CLUSTER_REDIS_PORTS", String.join(",", redisPorts.stream().map(String::valueOf).toList()));
    // The build that runs this test made the jars and the class path file the script links.
    env.put("FEATURELAKE_SKIP_BUILD", "1");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("./run_cluster.sh " + command + " failed:\n" + out);
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    script("down");
  }
}
