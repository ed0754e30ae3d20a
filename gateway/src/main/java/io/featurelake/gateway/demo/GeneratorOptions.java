package io.featurelake.gateway.demo;

import io.featurelake.sqlcatalog.errors.PlatformException;
import java.util.Objects;

/**
 * Knobs of the {@link EventGenerator}. Every value except {@link #partitions()} shapes the rows;
 * the same options over the same window always give the same rows.
 */
public final class GeneratorOptions {

  public static final long DEFAULT_EVENTS_PER_DAY = 100_000;
  public static final long DEFAULT_USERS = 50_000;
  public static final long DEFAULT_ITEMS = 5_000;
  public static final long DEFAULT_SEED = 42;
  public static final long MAX_EVENTS_PER_DAY = 100_000_000;
  /** Popularity is computed in doubles; far beyond this the skew formula loses integer precision. */
  public static final long MAX_USERS_OR_ITEMS = 1_000_000_000;
  public static final int MAX_PARTITIONS = 100_000;

  private final long eventsPerDay;
  private final long users;
  private final long items;
  private final long seed;
  private final GeneratorMode mode;
  private final int partitions;

  private GeneratorOptions(Builder b) {
    this.eventsPerDay = b.eventsPerDay;
    this.users = b.users;
    this.items = b.items;
    this.seed = b.seed;
    this.mode = b.mode;
    this.partitions = b.partitions;
  }

  public static GeneratorOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().eventsPerDay(eventsPerDay).users(users).items(items).seed(seed).mode(mode).partitions(partitions);
  }

  public long eventsPerDay() {
    return eventsPerDay;
  }

  public long users() {
    return users;
  }

  public long items() {
    return items;
  }

  public long seed() {
    return seed;
  }

  public GeneratorMode mode() {
    return mode;
  }

  /** Spark partitions to generate with; 0 picks one from the cluster size and volume. Never changes the rows. */
  public int partitions() {
    return partitions;
  }

  @Override
  public String toString() {
    return "events_per_day=" + eventsPerDay + ", users=" + users + ", items=" + items + ", seed=" + seed
        + ", mode=" + mode.sqlName() + (partitions > 0 ? ", partitions=" + partitions : "");
  }

  /** Collects values; {@link #build()} checks them and names the first bad one. */
  public static final class Builder {
    private long eventsPerDay = DEFAULT_EVENTS_PER_DAY;
    private long users = DEFAULT_USERS;
    private long items = DEFAULT_ITEMS;
    private long seed = DEFAULT_SEED;
    private GeneratorMode mode = GeneratorMode.NORMAL;
    private int partitions = 0;

    private Builder() {}

    public Builder eventsPerDay(long value) {
      this.eventsPerDay = value;
      return this;
    }

    public Builder users(long value) {
      this.users = value;
      return this;
    }

    public Builder items(long value) {
      this.items = value;
      return this;
    }

    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    public Builder mode(GeneratorMode value) {
      this.mode = Objects.requireNonNull(value, "mode");
      return this;
    }

    /** By SQL name, case-insensitive, e.g. {@code "null_amounts"}. */
    public Builder mode(String value) {
      this.mode = GeneratorMode.parse(value);
      return this;
    }

    public Builder partitions(int value) {
      this.partitions = value;
      return this;
    }

    /** Validates and builds; throws {@link PlatformException} (INVALID_PROCEDURE_ARGUMENT) naming the bad value. */
    public GeneratorOptions build() {
      checkRange("events_per_day", eventsPerDay, 1, MAX_EVENTS_PER_DAY);
      checkRange("users", users, 1, MAX_USERS_OR_ITEMS);
      checkRange("items", items, 1, MAX_USERS_OR_ITEMS);
      checkRange("partitions", partitions, 0, MAX_PARTITIONS);
      return new GeneratorOptions(this);
    }

    private static void checkRange(String name, long value, long min, long max) {
      if (value < min || value > max) {
        throw PlatformException.invalidArgument("%s must be between %d and %d, got %d", name, min, max, value);
      }
    }
  }
}
