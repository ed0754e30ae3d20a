package io.featurelake.webui.notebooks;

import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The notebooks page reads the project's {@code notebooks/} folder (relative to the working
 * directory, which ./run_ui.sh sets to the project) and what {@code ./run_notebooks.sh --execute}
 * wrote into the state directory; its links open Jupyter at {@code featurelake.ui.jupyter-url}.
 */
@Configuration
public class NotebooksConfiguration {

  @Bean
  public Notebooks notebooks(FeaturelakeConfig config,
      @Value("${featurelake.ui.notebooks-dir:notebooks}") String folder,
      @Value("${featurelake.ui.jupyter-url:http://127.0.0.1:8888}") String jupyterUrl) {
    return new Notebooks(Path.of(folder).toAbsolutePath().normalize(), config.home().resolve("notebooks"), jupyterUrl);
  }
}
