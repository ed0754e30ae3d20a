package io.featurelake.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server child process on its own free port, so a test can kill it (SIGKILL) and start it
 * again on the same port without touching the shared Redis at 6379.
 */
public final class RedisProcess implements AutoCloseable {

  private final int port;
  private final List<String> extraArgs;
  private final Path dir;
  private Process process;

  private RedisProcess(int port, Path dir, List<String> extraArgs) {
    this.port = port;
    this.dir = dir;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /** Starts {@code redis-server --port <free> --save '' --appendonly no} plus {@code extraArgs} (later ones win). */
  public static RedisProcess start(Path dir, String... extraArgs) {
    return startOn(TestPorts.free(), dir, extraArgs);
  }

  /** Same on a given port (a cluster node's config file is named after its port). */
  public static RedisProcess startOn(int port, Path dir, String... extraArgs) {
    RedisProcess redis = new RedisProcess(port, dir, List.of(extraArgs));
    redis.startProcess();
    return redis;
  }

  public int port() {
    return port;
  }

  public synchronized void startProcess() {
    List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--logfile", dir.resolve("redis-" + port + ".log").toString()));
    cmd.addAll(extraArgs);
    try {
      process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start redis-server (is it installed?)", e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      // Ready means PONG: while it replays its append-only file Redis accepts connections but
      // answers "LOADING Redis is loading the dataset in memory".
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(2000);
        s.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] reply = new byte[64];
        int n = s.getInputStream().read(reply);
        if (n > 0 && new String(reply, 0, n, java.nio.charset.StandardCharsets.US_ASCII).startsWith("+PONG")
            || n > 0 && new String(reply, 0, n, java.nio.charset.StandardCharsets.US_ASCII).startsWith("-NOAUTH")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      sleep(20);
    }
    throw new IllegalStateException("redis-server did not start on port " + port);
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL: no shutdown, no save. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  @Override
  public void close() {
    kill();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
