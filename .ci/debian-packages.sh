# The Debian packages parts of featurelake need beyond JDK 17, one list per purpose. Sourced by
# run_tests.sh (installs what is missing) and run_notebooks.sh (names the install line).
# Add a purpose here, e.g. FEATURELAKE_BROWSER_TEST_PACKAGES="chromium chromium-driver", and list
# it in FEATURELAKE_TEST_PACKAGES so that ./run_tests.sh installs it.

FEATURELAKE_NOTEBOOK_PACKAGES="jupyter-notebook jupyter-nbconvert jupyter-client python3-nbclient python3-nbconvert \
python3-ipykernel python3-jpype python3-pandas python3-matplotlib python3-sklearn"
FEATURELAKE_SERVICE_PACKAGES="postgresql redis-server"
# The web UI's browser tests: Debian's Chromium and its chromedriver (no browser download).
FEATURELAKE_BROWSER_TEST_PACKAGES="chromium chromium-driver"
FEATURELAKE_TEST_PACKAGES="$FEATURELAKE_SERVICE_PACKAGES $FEATURELAKE_NOTEBOOK_PACKAGES $FEATURELAKE_BROWSER_TEST_PACKAGES"

# Prints the packages of the given list that are not installed (nothing when all are).
featurelake_missing_packages() {
  local pkg missing=()
  for pkg in $1; do
    if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]]; then
      missing+=("$pkg")
    fi
  done
  echo "${missing[*]:-}"
}
