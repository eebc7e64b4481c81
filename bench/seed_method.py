#!/usr/bin/python3
"""The seed's method, kept as the benchmark's point of comparison (target 1 of docs/performance.md).

What the product's seed process did for one night D: load every partition of the JSON Lines
lake into one pandas DataFrame, compute the config's metrics for D, build the per-user table of
the candidate cohort (entry day, retained, hit per action) and call scipy.stats.ttest_ind per
action. It computes the same things as `nsm run` (docs/design.md §2 "Metric semantics" and
"Candidate lifts"), so that `bench/run.ts` can check the two AGREE before comparing their times:
a benchmark against a method that computes something else proves nothing.

It is written the way a careful analyst would write it (vectorised pandas, no Python loops over
rows, dates parsed once per partition rather than per row), not made slow on purpose: a faster
seed only makes the 10x target harder.

Run with Debian's python3 (pandas 1.5, scipy 1.10):
    /usr/bin/python3 bench/seed_method.py --config nsm.config.yaml --date 2024-06-30
The config is YAML (needs PyYAML: Debian's python3-yaml) or JSON (`--config x.json`, no PyYAML
needed). Prints one JSON document on stdout: metric values, candidate rows and phase timings.
"""
import argparse
import datetime as _dt
import json
import math
import os
import re
import resource
import sys
import time
import warnings

import numpy as np
import pandas as pd
from scipy import stats

DATA_FILE = re.compile(r"\.(json|jsonl|ndjson)(\.gz)?$", re.IGNORECASE)


def load_config(path):
    """The config as a dict; YAML through PyYAML, or JSON (a JSON file is valid YAML too)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.lower().endswith(".json"):
        return json.loads(text)
    try:
        import yaml  # Debian: python3-yaml
    except ImportError:
        sys.exit(f"{path}: PyYAML is not installed (apt-get install python3-yaml); pass the config as JSON instead")
    return yaml.safe_load(text)


def event_metrics(config):
    """The config's metrics with docs/design.md §2 defaults applied."""
    out = []
    for m in config["metrics"]:
        m = dict(m)
        if m["type"] != "ratio":
            m.setdefault("window_days", 1)
        if m["type"] == "sum":
            m.setdefault("scale", 1)
        if m["type"] == "active_accounts":
            m.setdefault("min_users", 1)
        out.append(m)
    return out


def load_lake(location, partition):
    """Every `<partition>=YYYY-MM-DD/**/*.json[l][.gz]` file, concatenated; adds the partition column."""
    frames = []
    for name in sorted(os.listdir(location)):
        if not name.startswith(partition + "="):
            continue
        day = name[len(partition) + 1:]
        for root, _dirs, files in os.walk(os.path.join(location, name)):
            for f in sorted(files):
                if not DATA_FILE.search(f):
                    continue
                # dtype=False keeps ids as text and mixed columns as objects; convert_dates=False
                # skips pandas' guess that `*_time` columns are dates (the method never needs them).
                df = pd.read_json(os.path.join(root, f), lines=True, dtype=False, convert_dates=False)
                df[partition] = day
                frames.append(df)
    if not frames:
        sys.exit(f"{location}: no JSON Lines files under {partition}=YYYY-MM-DD/ folders")
    return pd.concat(frames, ignore_index=True)


def ordinal(day):
    return _dt.date.fromisoformat(day).toordinal()


def day_name(n):
    return _dt.date.fromordinal(n).isoformat()


def compute_metrics(df, cols, metrics, d):
    """Metric values for night d (ordinal), exactly as docs/design.md §2 defines them."""
    values = {}
    user, account, event = cols["user"], cols.get("account"), cols["event"]
    for m in metrics:
        if m["type"] == "ratio":
            continue
        rows = df[(df["nsm_day"] >= d - m["window_days"] + 1) & (df["nsm_day"] <= d)]
        if m.get("events") is not None:
            rows = rows[rows[event].isin(m["events"])]
        t = m["type"]
        if t == "count":
            v = int(len(rows))
        elif t == "sum":
            # Null and non-numeric values ("n/a") are skipped, as TRY_CAST(... AS DOUBLE) does.
            v = float(pd.to_numeric(rows[m["property"]], errors="coerce").sum()) * m["scale"]
        elif t == "distinct_users":
            v = int(rows[user].nunique(dropna=True))
        elif t == "distinct_accounts":
            v = int(rows[account].nunique(dropna=True)) if account else 0
        elif t == "active_accounts":
            if not account:
                v = 0
            else:
                rows = rows[rows[account].notna() & rows[user].notna()]
                per_account = rows.groupby(account)[user].nunique()
                v = int((per_account >= m["min_users"]).sum())
        else:
            raise ValueError(f"unknown metric type {t}")
        values[m["id"]] = v
    for m in metrics:
        if m["type"] == "ratio":
            num, den = values.get(m["numerator"]), values.get(m["denominator"])
            values[m["id"]] = None if num is None or den is None or den == 0 else float(num) / float(den)
    return values


def none_if_nan(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def candidate_tests(df, cols, cand, d):
    """The per-user table of night d's cohort and one scipy.stats.ttest_ind per action."""
    user, event = cols["user"], cols["event"]
    r = cand["retention"]["day"]
    w = cand["retention"]["window_days"]
    c = cand["cohort"]["cohort_days"]
    upto = df[(df["nsm_day"] <= d) & df[user].notna()]

    # Entry day E: the first day of entry_event, over all history up to D.
    entries = upto.loc[upto[event] == cand["cohort"]["entry_event"]].groupby(user)["nsm_day"].min()
    lo, hi = d - r - c + 1, d - r
    users = pd.DataFrame({"entry": entries[(entries >= lo) & (entries <= hi)]})

    # Retained: any event on a day in E+R-W+1 … E+R.
    active = upto.loc[upto[user].isin(users.index), [user, "nsm_day", event]]
    active = active.assign(entry=active[user].map(users["entry"]))
    days = active[[user, "nsm_day", "entry"]].drop_duplicates()
    in_window = days[(days["nsm_day"] >= days["entry"] + r - w + 1) & (days["nsm_day"] <= days["entry"] + r)]
    users["retained"] = users.index.isin(in_window[user].unique()).astype(np.float64)

    rows = []
    for a in cand["actions"]:
        done = active[(active[event] == a["event"]) & (active["nsm_day"] >= active["entry"]) & (active["nsm_day"] <= active["entry"] + a["within_days"] - 1)]
        users["hit_" + a["id"]] = users.index.isin(done[user].unique())

    for a in cand["actions"]:
        hit = users["hit_" + a["id"]].to_numpy()
        y = users["retained"].to_numpy()
        y_hit, y_miss = y[hit], y[~hit]
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            student = stats.ttest_ind(y_hit, y_miss)  # pooled variance: equal_var=True
            welch = stats.ttest_ind(y_hit, y_miss, equal_var=False)
        n_hit, n_miss = int(len(y_hit)), int(len(y_miss))
        ret_hit, ret_miss = int(y_hit.sum()), int(y_miss.sum())
        rate_hit = ret_hit / n_hit if n_hit else None
        rate_miss = ret_miss / n_miss if n_miss else None
        rows.append({
            "candidate_id": a["id"],
            "event": a["event"],
            "within_days": a["within_days"],
            "cohort_start": day_name(lo),
            "cohort_end": day_name(hi),
            "n_hit": n_hit,
            "n_miss": n_miss,
            "retained_hit": ret_hit,
            "retained_miss": ret_miss,
            "rate_hit": rate_hit,
            "rate_miss": rate_miss,
            "lift": rate_hit / rate_miss if rate_hit is not None and rate_miss else None,
            "t_student": none_if_nan(float(student.statistic)),
            "p_student": none_if_nan(float(student.pvalue)),
            "t_welch": none_if_nan(float(welch.statistic)),
            "p_welch": none_if_nan(float(welch.pvalue)),
        })
    return rows, len(users)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", required=True)
    ap.add_argument("--date", required=True, help="night D, YYYY-MM-DD")
    args = ap.parse_args()

    t0 = time.perf_counter()
    config = load_config(args.config)
    lake = config["lake"]
    if lake.get("format", "json") != "json":
        sys.exit(f"{args.config}: lake.format is {lake.get('format')}; the seed method reads JSON Lines only")
    location = lake["location"]
    if not os.path.isabs(location):
        location = os.path.join(os.path.dirname(os.path.abspath(args.config)), location)
    partition = lake.get("partition", "dt")
    cols = lake["columns"]

    df = load_lake(location, partition)
    # Day numbers once per distinct partition value (a few hundred), not once per row.
    day_numbers = {day: ordinal(day) for day in df[partition].unique()}
    df["nsm_day"] = df[partition].map(day_numbers)
    t1 = time.perf_counter()

    d = ordinal(args.date)
    metrics = compute_metrics(df, cols, event_metrics(config), d)
    t2 = time.perf_counter()

    candidates, cohort = ([], 0)
    if config.get("candidates"):
        candidates, cohort = candidate_tests(df, cols, config["candidates"], d)
    t3 = time.perf_counter()

    json.dump({
        "dt": args.date,
        "rows": int(len(df)),
        "cohort_users": int(cohort),
        "metrics": metrics,
        "candidates": candidates,
        "timings_s": {"load": t1 - t0, "metrics": t2 - t1, "candidates": t3 - t2, "total": t3 - t0},
        "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "versions": {"python": sys.version.split()[0], "pandas": pd.__version__, "scipy": __import__("scipy").__version__, "numpy": np.__version__},
    }, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
