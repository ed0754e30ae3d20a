package io.featurelake.webui.security.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.featurelake.sqlcatalog.security.LoginFailedException;
import org.junit.jupiter.api.Test;

class LoginViewTest {

  @Test
  void theFailedLoginAlertSaysLoginFailedOnceInItsTitle() {
    assertThat(LoginView.ERROR_TITLE).isEqualTo("Login failed");
    assertThat(LoginView.ERROR_MESSAGE).isEqualTo("Wrong user name or password, or the user is disabled.");
    assertThat(LoginView.errorMessage(LoginFailedException.MESSAGE)).doesNotContain("Login failed");
  }

  @Test
  void aLineWithoutTheTitleIsShownAsItIs() {
    assertThat(LoginView.errorMessage("Too many attempts")).isEqualTo("Too many attempts");
  }
}
