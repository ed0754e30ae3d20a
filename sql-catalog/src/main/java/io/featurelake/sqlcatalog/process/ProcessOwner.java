package io.featurelake.sqlcatalog.process;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The process that does a piece of long work (a backfill run, an online sync), recorded with it
 * so that another process can tell whether the work still has an owner.
 */
public record ProcessOwner(String host, long pid) {

  /** This JVM. */
  public static ProcessOwner current() {
    return new ProcessOwner(hostName(), ProcessHandle.current().pid());
  }

  /** This machine's host name as recorded with every run and sync. */
  public static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }

  @Override
  public String toString() {
    return host + " pid " + pid;
  }
}
