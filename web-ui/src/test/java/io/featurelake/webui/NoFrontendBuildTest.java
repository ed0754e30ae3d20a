package io.featurelake.webui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The UI must run on Vaadin's pre-compiled bundle: the npm registry here cannot serve a custom
 * frontend build, so any of these annotations would break the production build on a fresh machine.
 */
class NoFrontendBuildTest {

  private static final Pattern FORBIDDEN = Pattern.compile("@(?:[\\w.]+\\.)?(JsModule|NpmPackage|CssImport|JavaScript)\\b");

  @Test
  void noSourceNeedsAFrontendBuild() throws IOException {
    Path sources = Path.of("src/main/java");
    assertThat(sources).isDirectory();
    List<String> offenders;
    try (Stream<Path> files = Files.walk(sources)) {
      offenders = files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
        try {
          List<String> lines = Files.readAllLines(p);
          return java.util.stream.IntStream.range(0, lines.size())
              .filter(i -> FORBIDDEN.matcher(lines.get(i)).find())
              .mapToObj(i -> p + ":" + (i + 1) + ": " + lines.get(i).strip());
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
    assertThat(offenders).as("annotations that need a frontend build").isEmpty();
  }

  @Test
  void thePatternCatchesEachFormItMustRefuse() {
    assertThat(FORBIDDEN.matcher("@JsModule(\"./x.js\")").find()).isTrue();
    assertThat(FORBIDDEN.matcher("@com.vaadin.flow.component.dependency.NpmPackage(value = \"x\")").find()).isTrue();
    assertThat(FORBIDDEN.matcher("@CssImport(\"./s.css\")").find()).isTrue();
    assertThat(FORBIDDEN.matcher("@JavaScript(\"x.js\")").find()).isTrue();
    assertThat(FORBIDDEN.matcher("@StyleSheet(\"context://styles/app.css\")").find()).isFalse();
  }
}
