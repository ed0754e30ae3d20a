package io.featurelake.webui;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.server.AppShellSettings;
import io.featurelake.sqlcatalog.config.ConfigException;
import io.featurelake.sqlcatalog.config.FeaturelakeConfig;
import java.nio.file.Path;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;

/**
 * The web UI's JVM: Spring Boot with Vaadin Flow; no Spark on its class path. It reads the same
 * configuration file and state directory as the gateway and the scripts.
 */
@SpringBootApplication
public class WebUiApplication implements AppShellConfigurator {

  private static final long serialVersionUID = 1L;

  public static void main(String[] args) {
    FeaturelakeConfig config;
    try {
      config = FeaturelakeConfig.load();
    } catch (ConfigException e) {
      System.err.println("featurelake web UI: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Path log = config.home().resolve("logs").resolve("web-ui.log");
    System.setProperty("logging.file.name", log.toString());
    System.out.println("featurelake web UI: starting, state in " + config.home() + ", log in " + log + " ...");
    try {
      SpringApplication.run(WebUiApplication.class, args);
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      System.err.println("featurelake web UI: failed to start: " + root.getMessage() + " (full trace in " + log + ")");
      System.exit(1);
    }
  }

  /** Plain CSS next to the stock components; no frontend build needed (see DESIGN.md). */
  @Override
  public void configurePage(AppShellSettings settings) {
    settings.addLink("stylesheet", "styles/app.css");
    settings.setPageTitle("featurelake");
  }

  @EventListener
  public void ready(ApplicationReadyEvent event) {
    if (event.getApplicationContext() instanceof WebServerApplicationContext web) {
      String host = event.getApplicationContext().getEnvironment().getProperty("server.address", "127.0.0.1");
      System.out.println("featurelake web UI ready: http://" + host + ":" + web.getWebServer().getPort() + "/   stop: Ctrl-C");
      System.out.flush();
    }
  }
}
