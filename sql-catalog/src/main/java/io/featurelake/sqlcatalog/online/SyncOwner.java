package io.featurelake.sqlcatalog.online;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The process that runs a sync: host name and process id, recorded with the sync. */
public record SyncOwner(String host, long pid) {

  /** This JVM. */
  public static SyncOwner current() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    return new SyncOwner(host, ProcessHandle.current().pid());
  }

  @Override
  public String toString() {
    return host + " pid " + pid;
  }
}
