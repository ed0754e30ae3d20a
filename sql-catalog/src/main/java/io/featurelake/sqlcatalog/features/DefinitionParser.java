package io.featurelake.sqlcatalog.features;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the YAML half of a feature view into typed fields. Every error names the location (the
 * file), the field path ({@code checks.max_psi}) and the bad value. Unknown keys are rejected at
 * every level, so a typo never silently falls back to a default.
 */
final class DefinitionParser {

  static final String VIEW_NAME_REGEX = "[a-z][a-z0-9_]{0,62}";
  static final String COLUMN_REGEX = "[A-Za-z_][A-Za-z0-9_]*";
  private static final Pattern VIEW_NAME = Pattern.compile(VIEW_NAME_REGEX);
  private static final Pattern COLUMN = Pattern.compile(COLUMN_REGEX);
  private static final Pattern TABLE = Pattern.compile(COLUMN_REGEX + "(\\." + COLUMN_REGEX + "){2,}");

  private static final List<String> TOP_LEVEL = List.of("name", "description", "owner", "entities",
      "event_timestamp", "sources", "lookback_days", "online", "checks");
  private static final List<String> ONLINE = List.of("ttl");
  private static final List<String> CHECKS = List.of("min_row_count", "max_null_rate", "null_rate_overrides",
      "max_duplicate_keys", "max_psi", "max_row_count_change", "psi_columns", "psi_overrides", "expectations");
  private static final List<String> EXPECTATION = List.of("name", "sql", "max_failure_share");

  /** The YAML fields of a definition, validated. */
  record Fields(String name, String description, String owner, List<String> entities, String eventTimestamp,
      List<String> sources, int lookbackDays, Duration onlineTtl, Checks checks) {
  }

  private final String location;

  private DefinitionParser(String location) {
    this.location = location;
  }

  static Fields parse(String yamlText, String location) {
    DefinitionParser parser = new DefinitionParser(location);
    Map<String, Object> root = parser.rootMapping(yamlText);
    return parser.fields(root);
  }

  static Checks parseChecksText(String text, String location) {
    DefinitionParser parser = new DefinitionParser(location);
    return parser.checks(parser.rootMapping(text), "");
  }

  private Map<String, Object> rootMapping(String text) {
    Object document;
    try {
      document = yaml().load(text);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
      String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
      throw new FeatureViewDefinitionException(location + ": malformed YAML" + where + ": " + problem, e);
    } catch (YAMLException e) {
      throw new FeatureViewDefinitionException(location + ": malformed YAML: " + e.getMessage(), e);
    }
    if (document == null) {
      throw fail("the file is empty");
    }
    return mapping(document, "", "the top level");
  }

  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setAllowRecursiveKeys(false);
    options.setMaxAliasesForCollections(20);
    options.setNestingDepthLimit(20);
    options.setCodePointLimit(1024 * 1024);
    // SafeConstructor builds only maps, lists, strings, numbers, booleans and dates: no tags
    // that instantiate arbitrary classes.
    return new Yaml(new SafeConstructor(options));
  }

  private Fields fields(Map<String, Object> root) {
    rejectUnknown(root, TOP_LEVEL, "");
    String name = requiredString(root, "name");
    if (!VIEW_NAME.matcher(name).matches()) {
      throw fail("field 'name' must be lower snake_case matching " + VIEW_NAME_REGEX + ", got " + describe(name));
    }
    String description = optionalString(root, "description", "");
    String owner = requiredString(root, "owner");
    if (owner.isBlank()) {
      throw fail("field 'owner' must not be blank");
    }
    List<String> entities = columnList(root, "entities", true);
    String eventTimestamp = column(required(root, "event_timestamp"), "event_timestamp");
    if (entities.contains(eventTimestamp)) {
      throw fail("field 'event_timestamp' must not be one of the entities, got " + describe(eventTimestamp));
    }
    List<String> sources = new ArrayList<>();
    List<?> rawSources = list(required(root, "sources"), "sources", true);
    for (int i = 0; i < rawSources.size(); i++) {
      Object value = rawSources.get(i);
      if (!(value instanceof String) || !TABLE.matcher((String) value).matches()) {
        throw fail("field 'sources[" + i + "]' must be a fully qualified table name catalog.namespace.table, got "
            + describe(value));
      }
      if (sources.contains(value)) {
        throw fail("field 'sources' lists " + describe(value) + " twice");
      }
      sources.add((String) value);
    }
    long lookback = nonNegativeLong(root, "lookback_days", "lookback_days", 0);
    if (lookback > 3660) {
      throw fail("field 'lookback_days' must be at most 3660, got " + lookback);
    }
    Duration ttl = FeatureViewDefinition.DEFAULT_ONLINE_TTL;
    Object online = root.get("online");
    if (online != null) {
      Map<String, Object> onlineMap = mapping(online, "online", "field 'online'");
      rejectUnknown(onlineMap, ONLINE, "online.");
      Object rawTtl = onlineMap.get("ttl");
      if (rawTtl != null) {
        ttl = duration(rawTtl, "online.ttl");
      }
    }
    Object checks = root.get("checks");
    Checks parsedChecks = checks == null ? Checks.defaults() : checks(mapping(checks, "checks", "field 'checks'"), "checks.");
    return new Fields(name, description, owner, entities, eventTimestamp, sources, (int) lookback, ttl, parsedChecks);
  }

  private Checks checks(Map<String, Object> map, String prefix) {
    rejectUnknown(map, CHECKS, prefix);
    long minRowCount = nonNegativeLong(map, "min_row_count", prefix + "min_row_count", Checks.DEFAULT_MIN_ROW_COUNT);
    double maxNullRate = rate(map.get("max_null_rate"), prefix + "max_null_rate", Checks.DEFAULT_MAX_NULL_RATE);
    Map<String, Double> overrides = new LinkedHashMap<>();
    Object rawOverrides = map.get("null_rate_overrides");
    if (rawOverrides != null) {
      String field = prefix + "null_rate_overrides";
      for (Map.Entry<String, Object> e : mapping(rawOverrides, field, "field '" + field + "'").entrySet()) {
        if (!COLUMN.matcher(e.getKey()).matches()) {
          throw fail("field '" + field + "' keys must be column names matching " + COLUMN_REGEX + ", got "
              + describe(e.getKey()));
        }
        overrides.put(e.getKey(), rate(e.getValue(), field + "." + e.getKey(), null));
      }
    }
    long maxDuplicateKeys = nonNegativeLong(map, "max_duplicate_keys", prefix + "max_duplicate_keys",
        Checks.DEFAULT_MAX_DUPLICATE_KEYS);
    double maxPsi = nonNegativeDouble(map.get("max_psi"), prefix + "max_psi", Checks.DEFAULT_MAX_PSI);
    double maxRowCountChange = nonNegativeDouble(map.get("max_row_count_change"), prefix + "max_row_count_change",
        Checks.DEFAULT_MAX_ROW_COUNT_CHANGE);
    List<String> psiColumns = map.get("psi_columns") == null ? List.of() : columnList(map, "psi_columns", prefix, false);
    Map<String, Double> psiOverrides = new LinkedHashMap<>();
    Object rawPsi = map.get("psi_overrides");
    if (rawPsi != null) {
      String field = prefix + "psi_overrides";
      for (Map.Entry<String, Object> e : mapping(rawPsi, field, "field '" + field + "'").entrySet()) {
        column(e.getKey(), field + " key");
        if (e.getValue() == null) {
          throw fail("field '" + field + "." + e.getKey() + "' must be a number >= 0, got null");
        }
        psiOverrides.put(e.getKey(), nonNegativeDouble(e.getValue(), field + "." + e.getKey(), 0));
      }
    }
    List<Expectation> expectations = map.get("expectations") == null ? List.of() : expectations(map.get("expectations"),
        prefix + "expectations");
    return new Checks(minRowCount, maxNullRate, overrides, maxDuplicateKeys, maxPsi, maxRowCountChange, psiColumns,
        psiOverrides, expectations);
  }

  private List<Expectation> expectations(Object raw, String field) {
    List<?> items = list(raw, field, false);
    List<Expectation> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String at = field + "[" + i + "]";
      Map<String, Object> item = mapping(items.get(i), at, "field '" + at + "'");
      rejectUnknown(item, EXPECTATION, at + ".");
      String name = column(item.get("name"), at + ".name");
      if (!names.add(name)) {
        throw fail("field '" + field + "' names " + describe(name) + " twice");
      }
      Object sql = item.get("sql");
      if (!(sql instanceof String) || ((String) sql).isBlank()) {
        throw fail("field '" + at + ".sql' must be a non-empty SQL boolean expression, got " + describe(sql));
      }
      out.add(new Expectation(name, ((String) sql).strip(), rate(item.get("max_failure_share"), at + ".max_failure_share", 0.0)));
    }
    return out;
  }

  private void rejectUnknown(Map<String, Object> map, List<String> known, String prefix) {
    for (String key : map.keySet()) {
      if (!known.contains(key)) {
        throw fail("unknown field '" + prefix + key + "'");
      }
    }
  }

  private Object required(Map<String, Object> map, String key) {
    Object value = map.get(key);
    if (value == null) {
      throw fail("missing required field '" + key + "'");
    }
    return value;
  }

  private String requiredString(Map<String, Object> map, String key) {
    Object value = required(map, key);
    if (!(value instanceof String)) {
      throw fail("field '" + key + "' must be a string, got " + describe(value));
    }
    return (String) value;
  }

  private String optionalString(Map<String, Object> map, String key, String fallback) {
    Object value = map.get(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String)) {
      throw fail("field '" + key + "' must be a string, got " + describe(value));
    }
    return (String) value;
  }

  private String column(Object value, String field) {
    if (!(value instanceof String) || !COLUMN.matcher((String) value).matches()) {
      throw fail("field '" + field + "' must be a column name matching " + COLUMN_REGEX + ", got " + describe(value));
    }
    return (String) value;
  }

  private List<String> columnList(Map<String, Object> map, String key, boolean required) {
    return columnList(map, key, "", required);
  }

  private List<String> columnList(Map<String, Object> map, String key, String prefix, boolean required) {
    String field = prefix + key;
    Object raw = required ? required(map, key) : map.get(key);
    List<?> values = list(raw, field, required);
    List<String> columns = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < values.size(); i++) {
      String column = column(values.get(i), field + "[" + i + "]");
      if (!seen.add(column)) {
        throw fail("field '" + field + "' lists " + describe(column) + " twice");
      }
      columns.add(column);
    }
    return columns;
  }

  private List<?> list(Object value, String field, boolean nonEmpty) {
    if (!(value instanceof List) || (nonEmpty && ((List<?>) value).isEmpty())) {
      throw fail("field '" + field + "' must be a " + (nonEmpty ? "non-empty " : "") + "list, got " + describe(value));
    }
    return (List<?>) value;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> mapping(Object value, String field, String what) {
    if (!(value instanceof Map)) {
      throw fail(what + " must be a mapping, got " + describe(value));
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<Object, Object> e : ((Map<Object, Object>) value).entrySet()) {
      copy.put(String.valueOf(e.getKey()), e.getValue());
    }
    return copy;
  }

  private long nonNegativeLong(Map<String, Object> map, String key, String field, long fallback) {
    Object value = map.get(key);
    if (value == null) {
      return fallback;
    }
    boolean integral = value instanceof Integer || value instanceof Long
        || (value instanceof BigInteger && ((BigInteger) value).bitLength() < 64);
    if (!integral || ((Number) value).longValue() < 0) {
      throw fail("field '" + field + "' must be an integer >= 0, got " + describe(value));
    }
    return ((Number) value).longValue();
  }

  private double rate(Object value, String field, Double fallback) {
    if (value == null && fallback != null) {
      return fallback;
    }
    double rate = number(value);
    if (!(rate >= 0 && rate <= 1)) {
      throw fail("field '" + field + "' must be a number between 0 and 1, got " + describe(value));
    }
    return rate;
  }

  private double nonNegativeDouble(Object value, String field, double fallback) {
    if (value == null) {
      return fallback;
    }
    double number = number(value);
    if (!(number >= 0) || Double.isInfinite(number)) {
      throw fail("field '" + field + "' must be a number >= 0, got " + describe(value));
    }
    return number;
  }

  /** NaN for anything that is not a YAML number, so that the range checks reject it. */
  private static double number(Object value) {
    if (value instanceof Number && !(value instanceof BigInteger && ((BigInteger) value).bitLength() >= 64)) {
      return ((Number) value).doubleValue();
    }
    return Double.NaN;
  }

  private Duration duration(Object value, String field) {
    Duration parsed = null;
    if (value instanceof String) {
      try {
        parsed = DurationText.parse((String) value);
      } catch (IllegalArgumentException e) {
        parsed = null;
      }
    }
    if (parsed == null || parsed.isZero()) {
      throw fail("field '" + field + "' must be a positive duration like 7d, 36h, 90m or 3600s, got " + describe(value));
    }
    return parsed;
  }

  private FeatureViewDefinitionException fail(String problem) {
    return new FeatureViewDefinitionException(location + ": " + problem);
  }

  /** The value as the user wrote it: strings quoted, everything else as YAML shows it. */
  static String describe(Object value) {
    if (value instanceof String) {
      return "'" + value + "'";
    }
    if (value instanceof Collection) {
      List<String> items = new ArrayList<>();
      for (Object item : (Collection<?>) value) {
        items.add(describe(item));
      }
      return "[" + String.join(", ", items) + "]";
    }
    if (value instanceof Map) {
      return "a mapping";
    }
    return String.valueOf(value);
  }
}
