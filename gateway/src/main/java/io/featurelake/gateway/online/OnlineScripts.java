package io.featurelake.gateway.online;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;

/**
 * The two Lua scripts of the online store ({@code online-guard.lua}, {@code online-retract.lua}),
 * named by their SHA-1 for EVALSHA, and how one call's keys and arguments are laid out for them.
 */
final class OnlineScripts {

  static final String GUARD_SCRIPT = readScript("online-guard.lua");
  /** EVALSHA names the script by the SHA-1 of its text: no SCRIPT LOAD is needed until a server says NOSCRIPT. */
  static final String GUARD_SHA = sha1(GUARD_SCRIPT);
  static final String RETRACT_SCRIPT = readScript("online-retract.lua");
  static final String RETRACT_SHA = sha1(RETRACT_SCRIPT);
  private OnlineScripts() {}

  static <T> List<String> keysOf(List<T> call, Function<T, String> keyOf) {
    return call.stream().map(keyOf).toList();
  }

  /** ARGV of the guard script (see online-guard.lua): the TTL, then per key its pair and fields. */
  static List<String> scriptArgs(List<OnlineRecord> call, String ttl) {
    List<String> args = new ArrayList<>(1 + call.size() * 9);
    args.add(ttl);
    for (OnlineRecord r : call) {
      args.add(Long.toString(r.eventTs()));
      args.add(Long.toString(r.snapshotSeq()));
      args.add(Integer.toString(r.fieldsAndValues().size() / 2));
      args.addAll(r.fieldsAndValues());
    }
    return args;
  }

  static CommandArguments guardCall(List<OnlineRecord> call, String ttl) {
    return new CommandArguments(Protocol.Command.EVALSHA).add(GUARD_SHA).add(call.size())
        .addObjects(keysOf(call, OnlineRecord::key))
        .addObjects(scriptArgs(call, ttl));
  }

  /** ARGV of the retraction script (see online-retract.lua): the TTL, then per key its pair and its replacement or -1. */
  static List<String> retractArgs(List<OnlineRetraction> call, String ttl) {
    List<String> args = new ArrayList<>(1 + call.size() * 11);
    args.add(ttl);
    for (OnlineRetraction r : call) {
      args.add(Long.toString(r.retractTs()));
      args.add(Long.toString(r.retractSeq()));
      OnlineRecord with = r.replacement();
      if (with == null) {
        args.add("-1");
      } else {
        args.add(Integer.toString(with.fieldsAndValues().size() / 2));
        args.add(Long.toString(with.eventTs()));
        args.add(Long.toString(with.snapshotSeq()));
        args.addAll(with.fieldsAndValues());
      }
    }
    return args;
  }

  static CommandArguments retractCall(List<OnlineRetraction> call, String ttl) {
    return new CommandArguments(Protocol.Command.EVALSHA).add(RETRACT_SHA).add(call.size())
        .addObjects(keysOf(call, OnlineRetraction::key)).addObjects(retractArgs(call, ttl));
  }

  private static String readScript(String name) {
    try (InputStream in = OnlineScripts.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
    }
  }}
