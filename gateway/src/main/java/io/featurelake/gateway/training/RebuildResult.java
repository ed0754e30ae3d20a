package io.featurelake.gateway.training;

/**
 * A rebuild compared with the stored training set, row for row (as multisets).
 *
 * @param differingRows stored rows the rebuild did not produce
 * @param extraRows rebuilt rows not in the stored set
 */
public record RebuildResult(String name, Verdict verdict, long storedRows, long rebuiltRows, long differingRows,
    long extraRows, String detail) {

  public enum Verdict { IDENTICAL, DIFFERS }
}
