package io.featurelake.sqlcatalog.features;

/**
 * What {@link FeatureViewRegistry#register} did with one view.
 *
 * @param name view name
 * @param status whether the view was new, changed or unchanged
 * @param sha256 the registered definition's hash
 */
public record RegistrationResult(String name, Status status, String sha256) {

  public enum Status {
    /** The view was not registered before. */
    NEW,
    /** The view was registered with another definition hash; the registry now has this one. */
    CHANGED,
    /** The view was registered with the same definition hash (git metadata may have been refreshed). */
    UNCHANGED
  }
}
