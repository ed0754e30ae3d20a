package io.featurelake.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutorJarsTest {

  @TempDir
  Path tmp;

  @Test
  void onlyNonLocalMastersShipJars() {
    assertThat(ExecutorJars.needed("local[*]")).isFalse();
    assertThat(ExecutorJars.needed("local[2]")).isFalse();
    assertThat(ExecutorJars.needed("spark://127.0.0.1:7077")).isTrue();
    assertThat(ExecutorJars.needed("yarn")).isTrue();
    assertThat(ExecutorJars.needed("k8s://https://host:443")).isTrue();
  }

  @Test
  void aClassDirectoryIsPackedIntoAJarNamedAfterItsModule() throws Exception {
    Path classes = Files.createDirectories(tmp.resolve("gateway/target/classes/io/example"));
    Files.writeString(classes.resolve("A.class"), "not really a class");
    Files.writeString(tmp.resolve("gateway/target/classes/app.properties"), "k=v");

    Path jar = ExecutorJars.pack(tmp.resolve("gateway/target/classes"), tmp.resolve("packed"));

    assertThat(jar).isEqualTo(tmp.resolve("packed/gateway-classes.jar"));
    try (JarFile file = new JarFile(jar.toFile())) {
      List<String> names = new ArrayList<>(Collections.list(file.entries()).stream().map(e -> e.getName()).toList());
      assertThat(names).containsExactlyInAnyOrder("io/", "io/example/", "io/example/A.class", "app.properties");
      assertThat(new String(file.getInputStream(file.getEntry("io/example/A.class")).readAllBytes())).isEqualTo("not really a class");
    }
    try (var left = Files.list(tmp.resolve("packed"))) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("gateway-classes.jar");
    }
  }

  @Test
  void theUsersJarsComeFirstAndEveryMarkerIsShippedOnce() {
    String jars = ExecutorJars.sparkJars(" file:/opt/udf.jar, ,file:/opt/more.jar", tmp.resolve("packed"));
    List<String> list = List.of(jars.split(","));

    assertThat(list.subList(0, 2)).containsExactly("file:/opt/udf.jar", "file:/opt/more.jar");
    assertThat(list).doesNotHaveDuplicates().hasSize(2 + ExecutorJars.locations().size());
    // In this build the platform's classes come from class directories or jars; either way a jar is shipped.
    assertThat(list.subList(2, list.size())).allMatch(j -> j.startsWith("file:") && j.endsWith(".jar"));
    assertThat(String.join(",", list)).contains("iceberg-spark-runtime").contains("jedis");
  }
}
