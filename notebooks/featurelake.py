"""A small client for featurelake notebooks: the gateway over JDBC, answers as pandas DataFrames.

    import featurelake as fl
    lake = fl.connect()                      # FEATURELAKE_JDBC_URL, else jdbc:hive2://127.0.0.1:10000/
    lake.sql("SELECT ... FROM lake.features.user_activity_daily")
    lake.call("list_runs", feature_view="user_activity_daily", limit=5)

It talks to the gateway exactly as DBeaver does: the hive-jdbc standalone driver, loaded into a JVM
through JPype (Debian's python3-jpype) and used through JPype's DB-API bridge. Every failure is a
FeaturelakeError with a one-line message (the gateway's own message, or one naming the URL when no
gateway answers); inside Jupyter it prints as that one line, without a Python or Java trace.

Environment: FEATURELAKE_JDBC_URL (or FEATURELAKE_GATEWAY_PORT for a local gateway),
FEATURELAKE_USER, FEATURELAKE_PASSWORD, FEATURELAKE_JDBC_DRIVER (path of the driver jar).
"""

import datetime as _dt
import getpass
import math
import os
import re
import socket
from pathlib import Path

import pandas as pd

# Debian's JPype 1.4.1 needs its support jar on the class path it starts the JVM with.
JPYPE_SUPPORT_JAR = "/usr/share/java/org.jpype.jar"
DRIVER_CLASS = "org.apache.hive.jdbc.HiveDriver"
_NOTEBOOKS = Path(__file__).resolve().parent
_PROJECT = _NOTEBOOKS.parent
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FeaturelakeError(Exception):
    """A failure worth one line: the gateway's message, or what is missing and where."""

    def _render_traceback_(self):
        # IPython asks for this before formatting a trace: in a notebook the error shows as this
        # one line, without Python frames or a Java stack, and the cell still counts as failed.
        return [f"{type(self).__name__}: {self}"]


class GatewayUnavailable(FeaturelakeError):
    """No gateway answers at the URL."""


# ---------------------------------------------------------------------------------------------
# Configuration and connection

def param(name, default):
    """A notebook parameter: the environment variable `name`, else `default` (same type)."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise FeaturelakeError(f"{name} must be an integer, got '{raw}'") from None
    return raw


def default_url():
    url = os.environ.get("FEATURELAKE_JDBC_URL")
    if url:
        return url
    return f"jdbc:hive2://127.0.0.1:{os.environ.get('FEATURELAKE_GATEWAY_PORT', '10000')}/"


def driver_jar():
    """The hive-jdbc standalone jar: FEATURELAKE_JDBC_DRIVER, else the copy ./run_notebooks.sh
    fetches into notebooks/.driver/, else the one the Maven build copies for the gateway's tests."""
    explicit = os.environ.get("FEATURELAKE_JDBC_DRIVER")
    if explicit:
        if not Path(explicit).is_file():
            raise FeaturelakeError(f"FEATURELAKE_JDBC_DRIVER={explicit} is not a file")
        return explicit
    # The version is the build's (hive-jdbc.version in pom.xml); whichever one was fetched will do.
    fetched = sorted((_NOTEBOOKS / ".driver").glob("hive-jdbc-*-standalone.jar"))
    built = _PROJECT / "gateway" / "target" / "jdbc-driver" / "hive-jdbc-standalone.jar"
    for candidate in fetched[-1:] + [built]:
        if candidate.is_file():
            return str(candidate)
    raise FeaturelakeError("JDBC driver hive-jdbc-<version>-standalone.jar not found: run ./run_notebooks.sh once "
                           "(it fetches it into notebooks/.driver/) or set FEATURELAKE_JDBC_DRIVER to its path")


def _start_jvm():
    import jpype
    if jpype.isJVMStarted():
        return jpype
    if not Path(JPYPE_SUPPORT_JAR).is_file():
        raise FeaturelakeError(f"{JPYPE_SUPPORT_JAR} is missing: apt-get install -y python3-jpype")
    jpype.startJVM(classpath=[JPYPE_SUPPORT_JAR, driver_jar()], convertStrings=True)
    return jpype


def _host_port(url):
    m = re.match(r"^jdbc:hive2://([^/:;]+)(?::(\d+))?", url)
    if not m:
        raise FeaturelakeError(f"not a HiveServer2 JDBC URL: '{url}' (expected jdbc:hive2://host:port/)")
    return m.group(1), int(m.group(2) or 10000)


def connect(url=None, user=None, password=None):
    """Connects to the gateway; a GatewayUnavailable error names the URL when none answers."""
    url = url or default_url()
    host, port = _host_port(url)
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError as e:
        raise GatewayUnavailable(f"no featurelake gateway at {url} ({e.strerror or e}); "
                                 f"start one with ./run_gateway.sh or set FEATURELAKE_JDBC_URL") from None
    jpype = _start_jvm()
    import jpype.dbapi2 as dbapi
    args = {"user": user or os.environ.get("FEATURELAKE_USER") or getpass.getuser()}
    password = password if password is not None else os.environ.get("FEATURELAKE_PASSWORD")
    if password:
        args["password"] = password
    system = jpype.JClass("java.lang.System")
    err = system.err
    # The standalone driver's bundled SLF4J prints a three-line warning on first use: not for notebooks.
    system.setErr(jpype.JClass("java.io.PrintStream")(jpype.JClass("java.io.OutputStream").nullOutputStream()))
    try:
        connection = dbapi.connect(url, driver=DRIVER_CLASS, driver_args=args)
    except Exception as e:
        raise GatewayUnavailable(f"cannot open a session on the featurelake gateway at {url}: {_one_line(e)}") from None
    finally:
        system.setErr(err)
    return Lake(connection, url)


def _one_line(e):
    """The first line of an error's message, without the Java class name JPype puts in front."""
    message = e.getMessage() if hasattr(e, "getMessage") else str(e)
    message = str(message or type(e).__name__).strip().splitlines()[0]
    return re.sub(r"^(?:[a-z]+\.)+[A-Za-z]*(?:Exception|Error): ", "", message)


def _cursor_class():
    import jpype.dbapi2 as dbapi

    class PlainCursor(dbapi.Cursor):
        # JPype prepares every statement and asks for its parameter metadata, which hive-jdbc does
        # not implement ("Method not supported"); statements without parameters need none.
        def _setParams(self, params):
            if len(params):
                super()._setParams(params)

    return PlainCursor


def sql_literal(value):
    """A Python value as a Spark SQL literal, for CALL arguments."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FeaturelakeError(f"cannot pass {value} as a SQL literal")
        return repr(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        value = value.isoformat()
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def check_date(name, value):
    value = str(value)
    if not _ISO_DATE.match(value):
        raise FeaturelakeError(f"{name} must be an ISO date (YYYY-MM-DD), got '{value}'")
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        raise FeaturelakeError(f"{name} must be an ISO date (YYYY-MM-DD), got '{value}'") from None
    return value


def check_identifier(what, value):
    if not isinstance(value, str) or not _IDENTIFIER.match(value):
        raise FeaturelakeError(f"{what} must be a plain name (letters, digits, _), got '{value}'")
    return value


class Lake:
    """One JDBC session on the gateway. Every method returns a pandas DataFrame or raises a
    FeaturelakeError with the gateway's one-line message."""

    def __init__(self, connection, url):
        self._connection = connection
        self._cursor_type = _cursor_class()
        self.url = url

    def __repr__(self):
        return f"<featurelake gateway {self.url}>"

    def close(self):
        self._connection.close()

    def sql(self, statement):
        """Runs one statement; its result set as a DataFrame (empty, without columns, if none)."""
        cursor = self._cursor_type(self._connection)
        try:
            cursor.execute(statement)
            if cursor.description is None:
                return pd.DataFrame()
            rows = cursor.fetchall()
            frame = {}
            for i, d in enumerate(cursor.description):
                values = [r[i] for r in rows]
                # Snapshot ids are 64-bit: a BIGINT column with NULLs must not become float64.
                integer = str(d[1]).lower() in ("bigint", "int", "smallint", "tinyint")
                frame[d[0]] = pd.array(values, dtype="Int64") if integer else pd.Series(values, dtype=object).infer_objects()
            return pd.DataFrame(frame, columns=[d[0] for d in cursor.description])
        except FeaturelakeError:
            raise
        except Exception as e:
            raise FeaturelakeError(self._explain(e)) from None
        finally:
            try:
                cursor.close()
            except Exception:
                pass

    def _explain(self, e):
        # A gateway that went away fails a statement with a vague "Failed to run async statement":
        # ask the port whether anyone is still there, and say so.
        try:
            socket.create_connection(_host_port(self.url), timeout=5).close()
        except OSError as down:
            raise GatewayUnavailable(f"lost the featurelake gateway at {self.url} ({down.strerror or down}); "
                                     f"start it again with ./run_gateway.sh, then fl.connect()") from None
        return _one_line(e)

    def call(self, procedure, **arguments):
        """CALL lake.platform.<procedure>(name => value, ...); None arguments are left out."""
        check_identifier("procedure", procedure)
        named = ", ".join(f"{check_identifier('argument', k)} => {sql_literal(v)}"
                          for k, v in arguments.items() if v is not None)
        return self.sql(f"CALL lake.platform.{procedure}({named})")

    # -- feature views and runs ----------------------------------------------------------------

    def feature_views(self):
        """The feature tables in lake.features (a view gets its table on its first backfill)."""
        tables = self.sql("SHOW TABLES IN lake.features")
        return tables[["tableName"]].rename(columns={"tableName": "feature_view"}).sort_values("feature_view") \
            .reset_index(drop=True)

    def require_view(self, view):
        check_identifier("feature view", view)
        known = list(self.feature_views()["feature_view"])
        if view not in known:
            raise FeaturelakeError(f"unknown feature view '{view}'; lake.features has: {', '.join(known) or 'no tables yet'}")
        return f"lake.features.{view}"

    def runs(self, feature_view=None, limit=20):
        return self.call("list_runs", feature_view=feature_view, limit=limit)

    def run(self, run_id):
        """One run's row of list_runs, as a Series."""
        runs = self.runs(limit=10000)
        match = runs[runs["run_id"] == int(run_id)]
        if match.empty:
            latest = f"; the latest run is {runs['run_id'].max()}" if len(runs) else "; there are no runs yet"
            raise FeaturelakeError(f"unknown run {run_id}{latest}")
        return match.iloc[0]

    @staticmethod
    def _audit_failed(runs):
        return runs[(runs["state"].isin(["DROPPED", "FAILED"])) & runs["report_id"].notna()
                    & runs["message"].fillna("").str.startswith("audit failed")]

    def failed_run(self, run_id):
        """A run whose audit failed, as a Series; any other run is a one-line error."""
        run = self.run(run_id)
        if self._audit_failed(run.to_frame().T).empty:
            raise FeaturelakeError(f"run {run_id} did not fail an audit (state {run['state']}); "
                                   f"leave NB_RUN_ID unset for the latest run that did")
        return run

    def latest_failed_run(self, feature_view=None):
        """The newest run whose audit failed (DROPPED with a report), as a one-row Series."""
        failed = self._audit_failed(self.runs(feature_view, limit=1000))
        if failed.empty:
            scope = f" of {feature_view}" if feature_view else ""
            raise FeaturelakeError(f"no run{scope} has failed its audit yet; make one with ./run_backfill.sh "
                                   f"--start_date 2023-01-01 --end_date 2023-01-02 --generate --mode shifted")
        return failed.iloc[0]

    def entity_keys(self, view):
        """The view's entity key columns, read from the definition its latest run stored."""
        runs = self.runs(view, limit=1)
        if runs.empty:
            raise FeaturelakeError(f"feature view '{view}' has no runs yet")
        lineage = self.call("lineage_run", run_id=int(runs["run_id"].iloc[0]))
        text = lineage[lineage["key"] == "definition_text"]["value"].iloc[0]
        m = re.search(r"^entities:\s*\[([^\]]*)\]", text, re.M)
        if not m:
            raise FeaturelakeError(f"cannot read the entities of '{view}' from its stored definition")
        return [k.strip() for k in m.group(1).split(",") if k.strip()]

    # -- reading feature tables, now and in the past -------------------------------------------

    @staticmethod
    def version_clause(version=None, as_of=None):
        """VERSION AS OF a snapshot id (int) or a tag/branch (str), or TIMESTAMP AS OF a time."""
        if version is not None and as_of is not None:
            raise FeaturelakeError("give either version (snapshot id, tag or branch) or as_of (a time), not both")
        if version is not None and str(version) != "main":
            return f" VERSION AS OF {sql_literal(version)}"
        if as_of is not None:
            return f" TIMESTAMP AS OF {sql_literal(str(as_of))}"
        return ""

    def read_view(self, view, start_date, end_date, version=None, as_of=None, columns="*", where=None):
        """Rows of a feature view for the days [start_date, end_date), on main or at a version.
        An empty window is an error that says which days the table holds."""
        table = self.require_view(view)
        start, end = check_date("start_date", start_date), check_date("end_date", end_date)
        if end <= start:
            raise FeaturelakeError(f"end_date must be after start_date, got start_date={start}, end_date={end}")
        ts = self._event_column(view)
        source = table + self.version_clause(version, as_of)
        cols = columns if isinstance(columns, str) else ", ".join(columns)
        extra = f" AND ({where})" if where else ""
        rows = self.sql(f"SELECT {cols} FROM {source} WHERE {ts} >= DATE '{start}' AND {ts} < DATE '{end}'{extra}")
        if rows.empty:
            span = self.sql(f"SELECT min({ts}) AS first, max({ts}) AS last, count(*) AS n FROM {source}").iloc[0]
            at = "" if not self.version_clause(version, as_of) else f" at{self.version_clause(version, as_of)}"
            holds = f"it holds {span['first']} to {span['last']}" if span["n"] else "it is empty"
            raise FeaturelakeError(f"{view} has no rows in [{start}, {end}){at}; {holds}")
        return rows

    def _event_column(self, view):
        # Every feature table is partitioned by day of its event timestamp (DESIGN: data layout).
        described = self.sql(f"DESCRIBE TABLE lake.features.{view}")
        parts = described["col_name"].tolist()
        if "# Partition Information" in parts:
            i = parts.index("# Partition Information")
            for name in parts[i + 1:]:
                if name and not name.startswith("#"):
                    return re.sub(r"^days\((.*)\)$", r"\1", name)
        return "event_date"

    def snapshots(self, view):
        """The table's commits, oldest first: the run that made each, when it became main's head
        (made_current_at; NULL for a commit main skipped over in a fast-forward or never pointed
        to) and whether it is in main's ancestry now (on_main)."""
        table = self.require_view(view)
        snaps = self.sql(
            f"SELECT s.committed_at, s.snapshot_id, s.parent_id, s.operation, "
            f"s.summary['featurelake.run-id'] AS run_id, s.summary['featurelake.window'] AS window, "
            f"h.made_current_at FROM {table}.snapshots s LEFT JOIN {table}.history h ON h.snapshot_id = s.snapshot_id "
            f"ORDER BY s.committed_at")
        # The history table lists only snapshots main pointed at; a fast-forward skips the commits
        # in between, so ancestry is read from the parent links instead.
        parents = dict(zip(snaps["snapshot_id"], snaps["parent_id"]))
        refs = self.refs(view)
        head = refs.loc[refs["name"] == "main", "snapshot_id"]
        ancestors, at = set(), (int(head.iloc[0]) if len(head) else None)
        while at is not None and not pd.isna(at) and at not in ancestors:
            ancestors.add(int(at))
            at = parents.get(at)
        snaps["on_main"] = snaps["snapshot_id"].isin(ancestors)
        return snaps

    def refs(self, view):
        return self.sql(f"SELECT name, type, snapshot_id FROM {self.require_view(view)}.refs ORDER BY type, name")

    def compare_versions(self, view, day, old, new="main", keys=None):
        """Row-by-row differences of one day between two versions (snapshot id, tag, branch or
        'main'): one row per entity added, removed or changed, with old and new values of the
        columns that differ. Computed on the gateway (a full outer join), returned as a DataFrame."""
        table = self.require_view(view)
        day = check_date("day", day)
        keys = keys or self.entity_keys(view)
        ts = self._event_column(view)
        columns = [c for c in self.sql(f"SELECT * FROM {table} LIMIT 0").columns if c not in keys and c != ts]
        side = lambda v: f"(SELECT * FROM {table}{self.version_clause(v)} WHERE {ts} = DATE '{day}')"
        key_eq = " AND ".join(f"a.{k} <=> b.{k}" for k in keys)
        same = " AND ".join(f"a.{c} <=> b.{c}" for c in columns) or "true"
        select = ", ".join([f"coalesce(a.{k}, b.{k}) AS {k}" for k in keys]
                           + [f"CASE WHEN a.{keys[0]} IS NULL THEN 'added' WHEN b.{keys[0]} IS NULL THEN 'removed' "
                              f"ELSE 'changed' END AS change"]
                           + [f"a.{c} AS {c}__old, b.{c} AS {c}__new" for c in columns])
        diff = self.sql(f"SELECT {select} FROM {side(old)} a FULL OUTER JOIN {side(new)} b ON {key_eq} "
                        f"WHERE NOT ({same}) ORDER BY {', '.join(keys)}")
        # Keep only the columns where at least one row differs: what changed, at a glance.
        changed = [c for c in columns if not diff.empty and
                   not (diff[f"{c}__old"].astype(str) == diff[f"{c}__new"].astype(str)).all()]
        return diff[keys + ["change"] + [f"{c}__{s}" for c in changed for s in ("old", "new")]]

    def lineage(self, run_id):
        return self.call("lineage_run", run_id=int(run_id))

    # -- audit reports ---------------------------------------------------------------------------
    # Everything notebooks read from audit_report goes through these methods, so a change of the
    # report's columns or PSI method is adapted here once.

    def audit_checks(self, run_id):
        """One row per check of the run's latest report: check, column, observed, threshold, passed, detail."""
        return self.call("audit_report", run_id=int(run_id))

    def audit_metrics(self, run_id):
        """The report's metrics as a table: one row per (column, metric), a column per side."""
        raw = self.call("audit_report", run_id=int(run_id), metrics=True)
        split = raw["check"].str.split(".", n=1, expand=True)
        tidy = pd.DataFrame({"side": split[0], "metric": split[1], "column": raw["column"], "value": raw["observed"]})
        return tidy.pivot_table(index=["column", "metric"], columns="side", values="value", aggfunc="first")

    def failing_features(self, run_id):
        checks = self.audit_checks(run_id)
        failed = checks[(checks["check"] == "psi") & (~checks["passed"].astype(bool))]
        return failed[["column", "observed", "threshold", "detail"]].reset_index(drop=True)

    def run_window(self, run_id):
        """A run's feature view, window (start, end) and snapshots, from its lineage."""
        lineage = self.lineage(run_id)
        value = lambda section, key: lineage[(lineage["section"] == section) & (lineage["key"] == key)]["value"].iloc[0]
        start, end = re.match(r"\[(.*),(.*)\)", value("run", "window")).groups()
        return {"feature_view": value("run", "feature_view"), "start": start, "end": end,
                "base_snapshot_id": value("output", "base_snapshot_id"),
                "audited_snapshot_id": value("audit", "audited_snapshot_id")}

    def audit_sides(self, run_id, columns):
        """The values the audit compared, read back from the lake: 'run' = the rows of the snapshot
        the report audited (kept in the table's metadata after the branch is removed, until
        maintenance expires it), 'baseline' = the same window on main when the branch was cut, or
        the preceding window of the same length when that was empty (the audit's own rule)."""
        w = self.run_window(run_id)
        view, cols = w["feature_view"], [check_identifier("column", c) for c in columns]
        run = self.read_view(view, w["start"], w["end"], version=int(w["audited_snapshot_id"]), columns=cols)
        days = (_dt.date.fromisoformat(w["end"]) - _dt.date.fromisoformat(w["start"])).days
        base_version = int(w["base_snapshot_id"]) if w["base_snapshot_id"] not in (None, "None") else None
        if base_version is None:
            raise FeaturelakeError(f"run {run_id} has no baseline: its branch was cut from an empty table")
        try:
            base = self.read_view(view, w["start"], w["end"], version=base_version, columns=cols)
            kind = "same window"
        except FeaturelakeError:
            before = (_dt.date.fromisoformat(w["start"]) - _dt.timedelta(days=days)).isoformat()
            base = self.read_view(view, before, w["start"], version=base_version, columns=cols)
            kind = "preceding window"
        run.insert(0, "side", "run")
        base.insert(0, "side", f"baseline ({kind})")
        return pd.concat([base, run], ignore_index=True)


# ---------------------------------------------------------------------------------------------
# PSI on bins at the baseline's deciles, computed from the rows themselves. The audit estimates
# the same figure from 99 approximate percentiles per side (docs/procedures.md, audit_report), so
# the two agree to about a percent of share per bin.

PSI_EPSILON = 1e-4
# A decile value that at least 1% of the baseline rows share is a point mass ("0 purchases").
POINT_MASS = 0.01


def psi_bins(run_values, base_values):
    """The PSI bins of one column: between consecutive baseline deciles, with a bin of its own for
    a decile that many rows share (a point mass, like "0 purchases"); per
    bin the baseline share q, the run share p and the term (p - q) ln(p / q), floored shares
    0.0001. The terms add up to the PSI. NULLs are left out on both sides."""
    run = pd.Series(run_values, dtype="float64").dropna()
    base = pd.Series(base_values, dtype="float64").dropna()
    if run.empty or base.empty:
        raise FeaturelakeError("PSI needs values on both sides; one side has only NULLs")
    edges = sorted(set(base.quantile([d / 10 for d in range(1, 10)], interpolation="lower")))
    rows, lower = [], None
    above = lambda v: v > lower if lower is not None else pd.Series(True, index=v.index)
    for edge in edges:
        low = "" if lower is None else f"{lower:g} < "
        if (base == edge).mean() >= POINT_MASS:
            rows.append((f"{low}x < {edge:g}", (above(base) & (base < edge)).mean(), (above(run) & (run < edge)).mean()))
            rows.append((f"x = {edge:g}", (base == edge).mean(), (run == edge).mean()))
        else:
            rows.append((f"{low}x <= {edge:g}", (above(base) & (base <= edge)).mean(), (above(run) & (run <= edge)).mean()))
        lower = edge
    rows.append((f"x > {lower:g}", (base > lower).mean(), (run > lower).mean()))
    table = pd.DataFrame(rows, columns=["bin", "baseline_share", "run_share"])
    table = table[(table["baseline_share"] > 0) | (table["run_share"] > 0)].reset_index(drop=True)
    p = table["run_share"].clip(lower=PSI_EPSILON)
    q = table["baseline_share"].clip(lower=PSI_EPSILON)
    table["psi_term"] = (p - q) * (p / q).apply(math.log)
    return table
