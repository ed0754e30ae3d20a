package io.featurelake.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.MigrateParams;

/**
 * A Redis Cluster of redis-server masters started as child processes on free ports (no replicas),
 * formed with {@code redis-cli --cluster create}. Each node keeps its cluster configuration in
 * {@code <dir>/nodes-<port>.conf} and its files in {@code <dir>/node-<port>/}, so a killed node
 * restarts on the same port as the same member of the cluster.
 */
public final class RedisClusterProcess implements AutoCloseable {

  private static final long READY_SECONDS = 60;

  private final Path dir;
  private final List<RedisProcess> nodes = new ArrayList<>();

  private RedisClusterProcess(Path dir) {
    this.dir = dir;
  }

  /** Starts {@code masters} nodes, creates the cluster and waits until every node says {@code cluster_state:ok}. */
  public static RedisClusterProcess start(Path dir, int masters) {
    RedisClusterProcess cluster = new RedisClusterProcess(dir);
    try {
      for (int i = 0; i < masters; i++) {
        int port = TestPorts.free();
        Path nodeDir = Files.createDirectories(dir.resolve("node-" + port));
        cluster.nodes.add(RedisProcess.startOn(port, nodeDir, "--cluster-enabled", "yes", "--cluster-config-file",
            dir.resolve("nodes-" + port + ".conf").toString(), "--cluster-node-timeout", "2000"));
      }
      cluster.create();
      cluster.awaitOk();
      return cluster;
    } catch (IOException e) {
      cluster.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private void create() {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    cmd.addAll(seeds());
    cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(READY_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run redis-cli (is it installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code 127.0.0.1:<port>} of every node, the seeds for {@code featurelake.redis.cluster-nodes}. */
  public List<String> seeds() {
    return ports().stream().map(p -> "127.0.0.1:" + p).toList();
  }

  public List<Integer> ports() {
    return nodes.stream().map(RedisProcess::port).toList();
  }

  public RedisProcess node(int i) {
    return nodes.get(i);
  }

  /**
   * Waits until every node reports {@code cluster_state:ok}, knows every other node and sees
   * all 16384 slots served: a node that was killed and restarted takes a few gossip rounds.
   */
  public void awaitOk() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
    String last = "";
    while (System.nanoTime() < deadline) {
      boolean ok = true;
      for (RedisProcess node : nodes) {
        try (Jedis j = new Jedis("127.0.0.1", node.port())) {
          last = node.port() + ": " + j.clusterInfo();
          ok &= last.contains("cluster_state:ok") && last.contains("cluster_slots_ok:16384")
              && last.contains("cluster_known_nodes:" + nodes.size() + "\r");
        } catch (RuntimeException notYet) {
          last = node.port() + ": " + notYet.getMessage();
          ok = false;
        }
        if (!ok) {
          break;
        }
      }
      if (ok) {
        return;
      }
      sleep(50);
    }
    throw new IllegalStateException("Redis Cluster not ok after " + READY_SECONDS + " s; last CLUSTER INFO " + last);
  }

  /** Port of the master serving the slot, as the cluster itself says (CLUSTER SLOTS). */
  public int portServing(int slot) {
    try (Jedis j = new Jedis("127.0.0.1", nodes.get(0).port())) {
      for (Object range : j.clusterSlots()) {
        List<?> r = (List<?>) range;
        if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
          return ((Long) ((List<?>) r.get(2)).get(1)).intValue();
        }
      }
    }
    throw new IllegalStateException("no node serves slot " + slot);
  }

  /**
   * Reshards one slot, with its keys, to the master on {@code toPort}, the way
   * {@code redis-cli --cluster reshard} does: IMPORTING on the target, MIGRATING on the source,
   * MIGRATE the keys, then SETSLOT NODE on every master. Clients that read the slot map before
   * get MOVED from then on.
   */
  public void moveSlot(int slot, int toPort) {
    int fromPort = portServing(slot);
    try (Jedis from = new Jedis("127.0.0.1", fromPort); Jedis to = new Jedis("127.0.0.1", toPort)) {
      String fromId = from.clusterMyId();
      String toId = to.clusterMyId();
      to.clusterSetSlotImporting(slot, fromId);
      from.clusterSetSlotMigrating(slot, toId);
      for (List<String> keys = from.clusterGetKeysInSlot(slot, 100); !keys.isEmpty(); keys = from.clusterGetKeysInSlot(slot, 100)) {
        from.migrate("127.0.0.1", toPort, 5000, new MigrateParams(), keys.toArray(String[]::new));
      }
      for (RedisProcess node : nodes) {
        try (Jedis j = new Jedis("127.0.0.1", node.port())) {
          j.clusterSetSlotNode(slot, toId);
        }
      }
    }
    awaitOk();
  }

  @Override
  public void close() {
    nodes.forEach(RedisProcess::kill);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
