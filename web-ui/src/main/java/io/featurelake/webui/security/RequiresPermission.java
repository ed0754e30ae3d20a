package io.featurelake.webui.security;

import io.featurelake.sqlcatalog.security.Permission;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A page that exists only to act: {@link RouteGuard} refuses it, with a page that says why, to a
 * user whose role lacks the permission (a typed or bookmarked URL included).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RequiresPermission {

  Permission value();

  /** What the page does, for the refusal: "starting backfills". */
  String what();
}
