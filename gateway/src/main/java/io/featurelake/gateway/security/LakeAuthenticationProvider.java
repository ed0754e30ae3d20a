package io.featurelake.gateway.security;

import io.featurelake.sqlcatalog.security.LoginFailedException;
import javax.security.sasl.AuthenticationException;
import org.apache.hive.service.auth.PasswdAuthenticationProvider;

/**
 * HiveServer2's custom authentication hook ({@code hive.server2.authentication=CUSTOM}). Hive
 * creates one per login through a no-argument constructor, so the user store is the JVM's,
 * from {@link GatewaySecurity}.
 */
public final class LakeAuthenticationProvider implements PasswdAuthenticationProvider {

  @Override
  public void Authenticate(String user, String password) throws AuthenticationException {
    try {
      GatewaySecurity.login().login(user, password == null ? new char[0] : password.toCharArray());
    } catch (LoginFailedException e) {
      throw new AuthenticationException(e.getMessage());
    }
  }
}
