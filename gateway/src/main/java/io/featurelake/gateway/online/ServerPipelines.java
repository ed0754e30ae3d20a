package io.featurelake.gateway.online;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The servers of a {@link JedisOnlineStore} and how commands reach them in bulk: which server
 * (standalone, or the cluster master of a key's slot) gets which calls, and one pipeline per
 * server with a bounded number of keys in flight, all servers at once. See
 * {@link JedisOnlineStore} for why pipelines are written on the nodes' connections directly.
 */
final class ServerPipelines {

  /** The plan key of a standalone Redis: it has one connection, whatever its address. */
  static final HostAndPort STANDALONE = new HostAndPort("standalone", 0);

  private final RedisSettings settings;
  private final Jedis jedis;
  private final ClusterConnectionProvider nodes;
  private final JedisCluster cluster;

  ServerPipelines(RedisSettings settings, Jedis jedis, ClusterConnectionProvider nodes, JedisCluster cluster) {
    this.settings = settings;
    this.jedis = jedis;
    this.nodes = nodes;
    this.cluster = cluster;
  }

  /**
   * The calls per server: standalone, consecutive chunks of batch-size items; cluster, per
   * master and within it per slot, chunks of at most batch-size items of that slot.
   */
  <T> Map<HostAndPort, ArrayDeque<List<T>>> planCalls(List<T> records, Function<T, String> keyOf) {
    int batch = settings.batchSize();
    Map<HostAndPort, ArrayDeque<List<T>>> plan = new LinkedHashMap<>();
    if (cluster == null) {
      ArrayDeque<List<T>> calls = new ArrayDeque<>();
      for (int i = 0; i < records.size(); i += batch) {
        calls.add(records.subList(i, Math.min(records.size(), i + batch)));
      }
      plan.put(STANDALONE, calls);
      return plan;
    }
    Map<HostAndPort, Map<Integer, List<T>>> bySlot = new LinkedHashMap<>();
    for (T r : records) {
      int slot = JedisClusterCRC16.getSlot(keyOf.apply(r));
      bySlot.computeIfAbsent(masterOf(slot), n -> new LinkedHashMap<>()).computeIfAbsent(slot, s -> new ArrayList<>()).add(r);
    }
    bySlot.forEach((node, slots) -> {
      ArrayDeque<List<T>> calls = new ArrayDeque<>();
      for (List<T> group : slots.values()) {
        for (int i = 0; i < group.size(); i += batch) {
          calls.add(group.subList(i, Math.min(group.size(), i + batch)));
        }
      }
      plan.put(node, calls);
    });
    return plan;
  }

  /** What to do with one successful reply; error replies are handled by {@link #pipelined}. */
  interface ReplyHandler<T> {
    void accept(T item, Object reply);
  }

  /**
   * Sends every item of the plan as one command on its server's connection, pipelined: each
   * round puts up to {@code batch-size × pipeline-depth} of weight (keys) in flight on every
   * server, then reads every server's replies, so the servers work in parallel. NOSCRIPT loads
   * {@code script} (the one the commands call; null for commands that call none) on that server
   * and re-sends the item; MOVED and ASK leave the item to the
   * caller (returned); any other error reply is thrown. A connection failure is a
   * {@link NodeFailure} naming the server.
   */
  <T> List<T> pipelined(Map<HostAndPort, ArrayDeque<T>> plan, ToIntFunction<T> weight,
      Function<T, CommandArguments> command, String script, ReplyHandler<T> handler) {
    int window = Math.max(1, settings.batchSize() * settings.pipelineDepth());
    List<T> redirected = new ArrayList<>();
    Map<HostAndPort, Connection> open = new LinkedHashMap<>();
    Set<Connection> unread = new HashSet<>();
    try {
      while (!plan.isEmpty()) {
        Map<HostAndPort, List<T>> inFlight = new LinkedHashMap<>();
        for (Map.Entry<HostAndPort, ArrayDeque<T>> e : plan.entrySet()) {
          HostAndPort node = e.getKey();
          try {
            Connection c = open.computeIfAbsent(node, this::connection);
            List<T> sent = new ArrayList<>();
            int load = 0;
            while (!e.getValue().isEmpty() && (sent.isEmpty() || load < window)) {
              T item = e.getValue().poll();
              unread.add(c);
              c.sendCommand(command.apply(item));
              sent.add(item);
              load += weight.applyAsInt(item);
            }
            inFlight.put(node, sent);
          } catch (JedisConnectionException failure) {
            throw new NodeFailure(node, failure);
          }
        }
        for (Map.Entry<HostAndPort, List<T>> e : inFlight.entrySet()) {
          HostAndPort node = e.getKey();
          Connection c = open.get(node);
          List<T> sent = e.getValue();
          List<T> resend = new ArrayList<>();
          JedisDataException firstError = null;
          // Reply by reply, handled as it arrives: when the server dies mid-pipeline, what it
          // acknowledged before has been counted (the sync reports that count).
          for (int i = 0; i < sent.size(); i++) {
            Object reply;
            try {
              reply = c.getOne();
            } catch (JedisDataException error) {
              reply = error;
            } catch (JedisConnectionException failure) {
              throw new NodeFailure(node, failure);
            }
            if (reply instanceof JedisNoScriptException) {
              resend.add(sent.get(i));
            } else if (reply instanceof JedisRedirectionException) {
              redirected.add(sent.get(i));
            } else if (reply instanceof JedisDataException error) {
              firstError = firstError == null ? error : firstError;
            } else {
              handler.accept(sent.get(i), reply);
            }
          }
          unread.remove(c);
          if (firstError != null) {
            throw firstError;
          }
          if (!resend.isEmpty()) {
            if (script == null) {
              throw new JedisDataException("NOSCRIPT for a command that calls no script");
            }
            // The server lost its scripts (restart, failover, SCRIPT FLUSH): load and re-send what it refused.
            loadScript(node, c, script);
            for (int i = resend.size() - 1; i >= 0; i--) {
              plan.get(node).addFirst(resend.get(i));
            }
          }
        }
        plan.values().removeIf(ArrayDeque::isEmpty);
      }
      if (!redirected.isEmpty() && cluster == null) {
        throw new JedisDataException("a standalone Redis answered MOVED/ASK: is featurelake.redis.url a cluster node? "
            + "Set featurelake.redis.cluster-nodes");
      }
      return redirected;
    } finally {
      for (Connection c : open.values()) {
        if (unread.contains(c)) {
          // Replies still on the wire would be read by the connection's next user.
          c.setBroken();
        }
        if (cluster != null) {
          c.close();
        }
      }
    }
  }

  private static void loadScript(HostAndPort node, Connection c, String script) {
    try {
      c.sendCommand(new CommandArguments(Protocol.Command.SCRIPT).add("LOAD").add(script));
      c.getOne(); // an error reply is thrown
    } catch (JedisConnectionException failure) {
      throw new NodeFailure(node, failure);
    }
  }

  Connection connection(HostAndPort node) {
    return cluster == null ? jedis.getConnection() : nodes.getConnection(node);
  }

  HostAndPort nodeOf(String key) {
    return cluster == null ? STANDALONE : masterOf(JedisClusterCRC16.getSlot(key));
  }

  HostAndPort masterOf(int slot) {
    HostAndPort node = nodes.getNode(slot);
    if (node == null) {
      nodes.renewSlotCache();
      node = nodes.getNode(slot);
    }
    if (node == null) {
      throw new JedisClusterOperationException("no master serves slot " + slot + " (cluster_state not ok?)");
    }
    return node;
  }

  /** Runs on every master of the cluster: the nodes that serve slots (replicas would answer SCAN twice). */
  void forEachMaster(Consumer<Jedis> action) {
    for (ConnectionPool pool : nodes.getPrimaryNodes().values()) {
      try (Connection c = pool.getResource()) {
        action.accept(new Jedis(c));
      }
    }
  }

  /** A connection to one server failed mid-pipeline; carries the server for the message. */
  static final class NodeFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient HostAndPort node;
    final JedisConnectionException failure;

    NodeFailure(HostAndPort node, JedisConnectionException failure) {
      super(failure);
      this.node = node;
      this.failure = failure;
    }
  }


}
