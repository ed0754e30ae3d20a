package io.featurelake.gateway.errors;

/**
 * Throws a checked exception from a method that cannot declare it: Spark's Scala operations
 * override {@code runInternal()} without a {@code throws} clause, yet the Thrift service expects
 * a {@code HiveSQLException} out of it.
 */
public final class Sneaky {

  private Sneaky() {}

  public static RuntimeException raise(Throwable t) {
    Sneaky.<RuntimeException>doThrow(t);
    return new IllegalStateException("unreachable");
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> void doThrow(Throwable t) throws E {
    throw (E) t;
  }
}
