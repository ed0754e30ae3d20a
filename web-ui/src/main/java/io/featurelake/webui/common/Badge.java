package io.featurelake.webui.common;

import com.vaadin.flow.component.html.Span;

/** A state written as a coloured label (PUBLISHED green, FAILED red, in flight blue). */
public final class Badge {

  private Badge() {}

  public static Span of(Object state) {
    String s = state == null ? "—" : state.toString();
    Span span = new Span(s);
    span.addClassNames("fl-state", "fl-state-" + s);
    return span;
  }
}
