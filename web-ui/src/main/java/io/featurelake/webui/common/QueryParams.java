package io.featurelake.webui.common;

import com.vaadin.flow.router.QueryParameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Query parameters from name, value pairs. */
public final class QueryParams {

  private QueryParams() {}

  public static QueryParameters of(String... nameValues) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < nameValues.length; i += 2) {
      map.put(nameValues[i], List.of(nameValues[i + 1]));
    }
    return new QueryParameters(map);
  }
}
