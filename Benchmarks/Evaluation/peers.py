"""The evaluation engine's peers on the same data (written by `yingshang-evaluation-bench engine --out DIR`):

* numpy: the same scoring vectorised over the whole periods × places × indicators array (frontier bounds by
  nanmax/nanmin, clip, power, nanmean up the tree, competition ranks by sorting);
* sqlite: the way a database-centred system (DHIS2's analytics tables) does it: the values in a table, bounds by
  GROUP BY, scores by a join, ranks by RANK() OVER (PARTITION BY …), area and overall means by GROUP BY.

Each prints its median time and how far its overall scores and ranks are from ours.

    python3 peers.py DIR --peer numpy|sqlite [--rounds N]
"""
import argparse, json, sqlite3, statistics, time
from pathlib import Path
import numpy as np


def load(folder):
    manifest = json.loads((folder / "manifest.json").read_text())
    T, P, N = manifest["periods"], manifest["places"], len(manifest["indicators"])
    values = np.fromfile(folder / "values.f64", dtype="<f8").reshape(T, P, N)
    return manifest, values


def numpy_scores(manifest, values):
    T, P, N = values.shape
    ind = manifest["indicators"]
    parent = np.array([i["parent"] for i in ind])
    leaves = np.where(parent >= 0)[0]
    areas = np.where(parent < 0)[0]
    higher = np.array([i["higher"] for i in ind])[leaves]
    fixed = np.array([i["best"] is not None for i in ind])[leaves]
    best_fixed = np.array([i["best"] if i["best"] is not None else np.nan for i in ind])[leaves]
    worst_fixed = np.array([i["worst"] if i["worst"] is not None else np.nan for i in ind])[leaves]
    exponent = np.array([i["exponent"] for i in ind])[leaves]
    v = values[:, :, leaves]                                   # T × P × L
    with np.errstate(all="ignore"):
        vmax, vmin = np.nanmax(v, axis=1), np.nanmin(v, axis=1)  # T × L
        best = np.where(fixed, best_fixed, np.where(higher, vmax, vmin))
        worst = np.where(fixed, worst_fixed, np.where(higher, vmin, vmax))
        share = np.clip((worst[:, None, :] - v) / (worst - best)[:, None, :], 0, 1)
        share = np.where((best == worst)[:, None, :] & ~np.isnan(v), 1.0, share)
        leaf_scores = 100 * share ** exponent
        scores = np.full((T, P, N), np.nan)
        scores[:, :, leaves] = leaf_scores
        for a in areas:
            members = np.where(parent == a)[0]
            scores[:, :, a] = np.nanmean(scores[:, :, members], axis=2)
        totals = np.nanmean(scores[:, :, areas], axis=2)
    # Competition ranks (1, 2, 2, 4) per period and indicator, and of the totals: 1 + places strictly better.
    def ranks(matrix):                                         # rows × P, NaN unranked
        keyed = np.where(np.isnan(matrix), -np.inf, matrix)
        ordered = np.sort(keyed, axis=1)
        out = np.zeros(matrix.shape)
        for r in range(matrix.shape[0]):
            out[r] = matrix.shape[1] - np.searchsorted(ordered[r], keyed[r], side="right") + 1
        return np.where(np.isnan(matrix), 0, out)
    indicator_ranks = ranks(scores.transpose(0, 2, 1).reshape(T * N, P))
    total_ranks = ranks(totals)
    return totals, total_ranks, indicator_ranks


def sqlite_scores(manifest, values, connection):
    T, P, N = values.shape
    cur = connection.cursor()
    start = time.perf_counter()
    cur.executescript("""
        DROP TABLE IF EXISTS s; DROP TABLE IF EXISTS bounds; DROP TABLE IF EXISTS leaf; DROP TABLE IF EXISTS area;
        DROP TABLE IF EXISTS total; DROP TABLE IF EXISTS ranked;
        CREATE TABLE bounds AS SELECT v.t, v.i,
            COALESCE(ind.best, CASE WHEN ind.higher THEN MAX(v.value) ELSE MIN(v.value) END) AS best,
            COALESCE(ind.worst, CASE WHEN ind.higher THEN MIN(v.value) ELSE MAX(v.value) END) AS worst
          FROM v JOIN ind ON ind.i = v.i GROUP BY v.t, v.i;
        CREATE TABLE leaf AS SELECT v.t, v.p, v.i, ind.parent,
            CASE WHEN b.best = b.worst THEN 100.0
                 ELSE 100 * POWER(MIN(1.0, MAX(0.0, (b.worst - v.value) / (b.worst - b.best))), ind.exponent) END AS score
          FROM v JOIN ind ON ind.i = v.i JOIN bounds b ON b.t = v.t AND b.i = v.i;
        CREATE TABLE area AS SELECT t, p, parent AS i, AVG(score) AS score FROM leaf GROUP BY t, p, parent;
        CREATE TABLE total AS SELECT t, p, AVG(score) AS score FROM area GROUP BY t, p;
        CREATE TABLE ranked AS
          SELECT t, p, i, score, RANK() OVER (PARTITION BY t, i ORDER BY score DESC) AS r FROM (SELECT t, p, i, score FROM leaf UNION ALL SELECT t, p, i, score FROM area);
    """)
    totals = np.full((T, P), np.nan)
    total_ranks = np.zeros((T, P))
    for t, p, score, r in cur.execute("SELECT t, p, score, RANK() OVER (PARTITION BY t ORDER BY score DESC) FROM total"):
        totals[t, p] = score
        total_ranks[t, p] = r
    elapsed = time.perf_counter() - start
    return totals, total_ranks, elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--peer", choices=["numpy", "sqlite"], required=True)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = Path(args.folder)
    manifest, values = load(folder)
    T, P, N = values.shape
    ours = np.fromfile(folder / "yingshang-totals.f64", dtype="<f8").reshape(T, P)
    our_ranks = np.fromfile(folder / "yingshang-ranks.f64", dtype="<f8").reshape(T, P)
    times = []
    if args.peer == "numpy":
        for _ in range(args.rounds):
            start = time.perf_counter()
            totals, total_ranks, _ = numpy_scores(manifest, values)
            times.append((time.perf_counter() - start) * 1000)
    else:
        connection = sqlite3.connect(":memory:")
        connection.create_function("POWER", 2, lambda a, b: None if a is None else a ** b, deterministic=True)
        connection.execute("CREATE TABLE v (t INTEGER, p INTEGER, i INTEGER, value REAL)")
        connection.execute("CREATE TABLE ind (i INTEGER PRIMARY KEY, parent INTEGER, higher INTEGER, best REAL, worst REAL, exponent REAL)")
        connection.executemany("INSERT INTO ind VALUES (?, ?, ?, ?, ?, ?)",
                               [(k, d["parent"], int(d["higher"]), d["best"], d["worst"], d["exponent"]) for k, d in enumerate(manifest["indicators"])])
        t_idx, p_idx, i_idx = np.nonzero(~np.isnan(values))
        connection.executemany("INSERT INTO v VALUES (?, ?, ?, ?)",
                               zip(t_idx.tolist(), p_idx.tolist(), i_idx.tolist(), values[t_idx, p_idx, i_idx].tolist()))
        connection.execute("CREATE INDEX v_ti ON v (t, i)")
        for _ in range(args.rounds):
            totals, total_ranks, elapsed = sqlite_scores(manifest, values, connection)
            times.append(elapsed * 1000)
    diff = np.nanmax(np.abs(totals - ours))
    rank_mismatch = int(np.sum(total_ranks != our_ranks))
    result = {"peer": args.peer, "median_ms": statistics.median(times), "min_ms": min(times), "rounds": len(times),
              "max_total_difference": float(diff), "rank_mismatches": rank_mismatch}
    print(json.dumps(result))
    (folder / f"{args.peer}.json").write_text(json.dumps(result))


if __name__ == "__main__":
    main()
