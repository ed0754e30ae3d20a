package io.featurelake.gateway.testing;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts another JVM with this test JVM's class path and JVM flags: a second featurelake process. */
public final class ChildJvm {

  private ChildJvm() {}

  public static Process start(Class<?> mainClass, Map<String, String> env, Path workDir, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("--add-opens") || flag.startsWith("-Xmx") || flag.startsWith("-Djdk.reflect")
          || flag.startsWith("-Dio.netty")) {
        command.add(flag);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb.start();
  }

  public static String classPathSeparator() {
    return File.pathSeparator;
  }
}
