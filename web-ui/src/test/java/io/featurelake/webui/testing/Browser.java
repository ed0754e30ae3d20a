package io.featurelake.webui.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Selenium through Debian's chromedriver (no browser
 * download). Screenshots go to {@code featurelake.ui.screenshots} (the docs' folder when the
 * screenshot run asks for it) or to target/screenshots.
 */
public final class Browser implements AutoCloseable {

  public static final String CHROMIUM = "/usr/bin/chromium";
  public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  private final ChromeDriver driver;
  private final String base;
  private final Path shots;

  public Browser(String baseUrl) throws IOException {
    if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
      throw new IllegalStateException("Browser tests need Debian's chromium and chromium-driver ("
          + CHROMIUM + ", " + CHROMEDRIVER + "); ./run_tests.sh installs them: apt-get install -y chromium chromium-driver");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + Files.createTempDirectory("fl-chromium"), "--window-size=1366,900", "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
        .usingAnyFreePort().build();
    this.driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1366, 900));
    this.base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
    this.shots = Path.of(System.getProperty("featurelake.ui.screenshots", "target/screenshots"));
  }

  public Browser open(String path) {
    driver.get(base + path);
    waitForVaadin();
    return this;
  }

  public String currentPath() {
    return driver.getCurrentUrl().substring(base.length());
  }

  /** Waits until Vaadin has bootstrapped and has no request in flight. */
  public void waitForVaadin() {
    new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> Boolean.TRUE.equals(driver.executeScript(
        "if (!window.Vaadin || !window.Vaadin.Flow || !window.Vaadin.Flow.clients) { return false; }"
            + "var c = window.Vaadin.Flow.clients; for (var k in c) { if (c[k].isActive && c[k].isActive()) { return false; } }"
            + "return document.readyState === 'complete';")));
  }

  public WebElement find(String css) {
    return new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
  }

  public List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Waits until the page's visible text contains {@code text}; returns the body text. */
  public String waitForText(String text, Duration timeout) {
    try {
      new WebDriverWait(driver, timeout).until(d -> bodyText().contains(text));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("'" + text + "' did not appear in " + timeout.toSeconds() + " s on " + driver.getCurrentUrl()
          + "; the page shows:\n" + bodyText());
    }
    return bodyText();
  }

  public String bodyText() {
    return (String) driver.executeScript("return document.body.innerText");
  }

  /** Text of every rendered grid cell (Vaadin renders them as light-DOM vaadin-grid-cell-content). */
  public List<String> gridCells() {
    return all("vaadin-grid-cell-content").stream().map(WebElement::getText).toList();
  }

  /** Clicks through JavaScript: a wide grid may hold the element outside the viewport. */
  public void click(String css) {
    WebElement e = find(css);
    driver.executeScript("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", e);
    waitForVaadin();
  }

  /** Sets a Vaadin field's value the way the user's edit would (value-changed reaches the server). */
  public void setValue(String css, String value) {
    WebElement e = find(css);
    driver.executeScript("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new CustomEvent('change', {bubbles: true}));", e, value);
    waitForVaadin();
  }

  /** Types into a Vaadin text field or area (its native input inside). */
  public void type(String css, String text) {
    WebElement field = find(css);
    WebElement input = field.findElement(By.cssSelector("input, textarea"));
    input.clear();
    // TAB leaves the field: Vaadin commits text fields and date pickers on change/blur.
    input.sendKeys(text, org.openqa.selenium.Keys.TAB);
    waitForVaadin();
  }

  public Object script(String js, Object... args) {
    return driver.executeScript(js, args);
  }

  /** Saves a PNG of the viewport as {@code name}.png and returns its path. */
  public Path screenshot(String name) throws IOException {
    waitForVaadin();
    Files.createDirectories(shots);
    Path file = shots.resolve(name + ".png");
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    return file;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
