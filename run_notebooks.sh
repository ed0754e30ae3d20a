#!/usr/bin/env bash
# The exploration notebooks in notebooks/, against a running gateway (./run_gateway.sh).
#   ./run_notebooks.sh                      Jupyter on http://127.0.0.1:8888 (with a token; prints the URL)
#   ./run_notebooks.sh --execute [NAME...]  run every notebook (or the named ones) headless; executed
#                                           copies and HTML go to <state dir>/notebooks/; exit 1 if a cell failed
# Environment: FEATURELAKE_JDBC_URL (or FEATURELAKE_GATEWAY_PORT), FEATURELAKE_HOME (state directory,
# default ./featurelake-data), FEATURELAKE_NOTEBOOK_PORT (8888), FEATURELAKE_JDBC_DRIVER (driver jar),
# NB_* notebook parameters (see docs/notebooks.md).
set -euo pipefail
cd "$(dirname "$0")"
source .ci/debian-packages.sh

say() { printf 'featurelake notebooks: %s\n' "$*" >&2; }

missing="$(featurelake_missing_packages "$FEATURELAKE_NOTEBOOK_PACKAGES")"
if [[ -n "$missing" ]]; then
  say "missing Debian packages: $missing"
  say "install them with: sudo apt-get install -y $missing"
  exit 3
fi

# The DBeaver driver (hive-jdbc standalone), fetched once from Maven into a git-ignored folder.
if [[ -z "${FEATURELAKE_JDBC_DRIVER:-}" ]]; then
  version="$(sed -n 's:.*<hive-jdbc.version>\(.*\)</hive-jdbc.version>.*:\1:p' pom.xml)"
  export FEATURELAKE_JDBC_DRIVER="$PWD/notebooks/.driver/hive-jdbc-${version}-standalone.jar"
  if [[ ! -f "$FEATURELAKE_JDBC_DRIVER" ]]; then
    say "fetching the JDBC driver org.apache.hive:hive-jdbc:${version}:standalone into notebooks/.driver/"
    ./mvnw -B -q dependency:copy -Dartifact="org.apache.hive:hive-jdbc:${version}:jar:standalone" \
      -DoutputDirectory=notebooks/.driver >&2
  fi
fi

url="${FEATURELAKE_JDBC_URL:-jdbc:hive2://127.0.0.1:${FEATURELAKE_GATEWAY_PORT:-10000}/}"
export FEATURELAKE_JDBC_URL="$url"
# One try before any Jupyter starts: a missing gateway is one line here, not a failed first cell.
if ! reason="$(cd notebooks && /usr/bin/python3 -c 'import sys, featurelake as fl
try:
    fl.connect(sys.argv[1]).close()
except fl.FeaturelakeError as e:
    sys.exit(str(e))' "$url" 2>&1)"; then
  say "$(printf '%s' "$reason" | tail -n 1)"
  exit 1
fi

# ipykernel's debugger warns about frozen modules on every kernel start; nothing to act on.
export PYDEVD_DISABLE_FILE_VALIDATION=1
state="${FEATURELAKE_HOME:-featurelake-data}"

if [[ "${1:-}" != "--execute" ]]; then
  port="${FEATURELAKE_NOTEBOOK_PORT:-8888}"
  token="$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(24))')"
  say "gateway $url"
  say "open http://127.0.0.1:${port}/?token=${token}   (Ctrl-C stops Jupyter)"
  root=()
  [[ "$(id -u)" == 0 ]] && root=(--allow-root)  # containers and CI machines often run as root
  exec /usr/bin/jupyter notebook "${root[@]}" --no-browser --ip=127.0.0.1 --port="$port" --port-retries=0 \
    --notebook-dir="$PWD/notebooks" --NotebookApp.token="$token" --NotebookApp.open_browser=False
fi
shift

out="$state/notebooks"
mkdir -p "$out"
if [[ $# -gt 0 ]]; then
  notebooks=()
  for name in "$@"; do
    nb="notebooks/${name%.ipynb}.ipynb"
    [[ -f "$nb" ]] || { say "no notebook $nb; notebooks: $(cd notebooks && ls *.ipynb | tr '\n' ' ')"; exit 2; }
    notebooks+=("$nb")
  done
else
  notebooks=(notebooks/*.ipynb)
fi

# Runs one notebook top to bottom in its own folder (so "import featurelake" finds the client) and
# writes the executed copy even when a cell fails: up to and including the failing cell, whose
# one-line error it prints. Cells tagged raises-exception show an error on purpose and run on.
execute_notebook() {
  /usr/bin/python3 - "$1" "$2" "$3" <<'PY'
import sys, nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
source, target, failure = sys.argv[1], sys.argv[2], sys.argv[3]
nb = nbformat.read(source, as_version=4)
client = NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": "notebooks"}})
try:
    client.execute()
    code = 0
except CellExecutionError as e:
    cells = [c for c in nb.cells if c.get("outputs") and any(o.output_type == "error" for o in c.outputs)
             and "raises-exception" not in c.metadata.get("tags", [])]
    cell = cells[0] if cells else None
    error = next(o for o in cell.outputs if o.output_type == "error") if cell else None
    where = f"cell {nb.cells.index(cell) + 1} ({cell.source.splitlines()[0][:60]})" if cell else "a cell"
    with open(failure, "w") as f:
        print(f"{where}: {error.ename}: {error.evalue.splitlines()[0] if error and error.evalue else e}", file=f)
    code = 1
nbformat.write(nb, target)
sys.exit(code)
PY
}

failed=0
# executions.tsv keeps the last execution of every notebook (the web UI's Notebooks page reads it):
# the rows of the notebooks not run this time are carried over.
runs=" ${notebooks[*]##*/} "
{
  printf 'notebook\tstatus\tfinished_at\tseconds\n'
  if [[ -f "$out/executions.tsv" ]]; then
    tail -n +2 "$out/executions.tsv" | while IFS= read -r line; do
      if [[ -n "$line" && "$runs" != *" ${line%%$'\t'*}.ipynb "* ]]; then
        printf '%s\n' "$line"
      fi
    done
  fi
} > "$out/executions.tsv.new"
for nb in "${notebooks[@]}"; do
  name="$(basename "$nb" .ipynb)"
  start=$(date +%s)
  status=passed
  rm -f "$out/$name.ipynb" "$out/$name.html" "$out/$name.failure"
  if ! execute_notebook "$nb" "$out/$name.ipynb" "$out/$name.failure" 2> "$out/$name.log"; then
    status=failed
    say "$name: failed at $(cat "$out/$name.failure" 2>/dev/null || tail -n 3 "$out/$name.log")"
  fi
  if [[ -f "$out/$name.ipynb" ]]; then
    /usr/bin/jupyter nbconvert --to html --template basic --output-dir "$out" "$out/$name.ipynb" >> "$out/$name.log" 2>&1
  fi
  [[ "$status" == passed ]] || failed=1
  seconds=$(( $(date +%s) - start ))
  printf '%s\t%s\t%s\t%s\n' "$name" "$status" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$seconds" >> "$out/executions.tsv.new"
  say "$name: $status in ${seconds} s -> $out/$name.html"
done
mv "$out/executions.tsv.new" "$out/executions.tsv"
exit "$failed"
