package io.featurelake.gateway.training;

import io.featurelake.sqlcatalog.errors.PlatformException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code build_training_set} was asked for, parsed and checked for form (names, syntax);
 * whether the views, features and spine columns exist is checked against the lake later.
 *
 * @param features view name to requested features in order; an empty list means every feature
 * @param entityMapping {@code entity -> spine column} for every view, or {@code view.entity -> spine column}
 */
public record TrainingSetRequest(String name, String spine, String featuresText, Map<String, List<String>> features,
    String labelTimeColumn, String entityMappingText, Map<String, String> entityMapping, TrainingMode mode, String user) {

  public static final String NAMESPACE = "training";

  public static TrainingSetRequest parse(String name, String spine, String features, String labelTimeColumn,
      String entityMapping, String mode, String user) {
    String n = name == null ? "" : name.strip();
    if (!n.matches("[a-z][a-z0-9_]{0,99}")) {
      throw PlatformException.invalidArgument("name must be a lower-case name like 'churn_2023_01' (letters, digits, "
          + "underscores), got '%s'", name);
    }
    if (spine == null || spine.isBlank()) {
      throw PlatformException.invalidArgument("spine must name a table (lake.ml.labels) or be a SELECT query, got '%s'", spine);
    }
    return new TrainingSetRequest(n, spine.strip(), features, parseFeatures(features), labelTimeColumn.strip(),
        entityMapping == null ? "" : entityMapping.strip(), parseMapping(entityMapping), TrainingMode.parse(mode), user);
  }

  public String tableName() {
    return "lake." + NAMESPACE + "." + name;
  }

  /** {@code user_activity_daily.*, item_popularity_daily.view_count}. */
  static Map<String, List<String>> parseFeatures(String text) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      throw PlatformException.invalidArgument("features must list <view>.<feature> or <view>.* items, got '%s'", text);
    }
    for (String item : text.split(",")) {
      String s = item.strip().toLowerCase(Locale.ROOT);
      int dot = s.indexOf('.');
      if (dot <= 0 || dot == s.length() - 1 || s.indexOf('.', dot + 1) >= 0) {
        throw PlatformException.invalidArgument("features: '%s' is not <view>.<feature> or <view>.*", item.strip());
      }
      String view = s.substring(0, dot);
      String feature = s.substring(dot + 1);
      List<String> list = out.computeIfAbsent(view, v -> new ArrayList<>());
      if (feature.equals("*")) {
        list.clear();
        list.add("*");
      } else if (!list.contains("*") && !list.contains(feature)) {
        list.add(feature);
      }
    }
    return out;
  }

  /** {@code user_id=customer_id, item_popularity_daily.item_id=product_id}. */
  static Map<String, String> parseMapping(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String item : text.split(",")) {
      String[] pair = item.split("=");
      if (pair.length != 2 || pair[0].isBlank() || pair[1].isBlank()) {
        throw PlatformException.invalidArgument("entity_mapping: '%s' is not <entity>=<spine column> or "
            + "<view>.<entity>=<spine column>", item.strip());
      }
      out.put(pair[0].strip().toLowerCase(Locale.ROOT), pair[1].strip());
    }
    return out;
  }

  /** The spine column for a view's entity: the mapping for view.entity, then for entity, else the same name. */
  String spineColumnFor(String view, String entity) {
    return entityMapping.getOrDefault(view + "." + entity, entityMapping.getOrDefault(entity, entity));
  }
}
