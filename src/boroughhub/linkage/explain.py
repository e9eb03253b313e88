"""Why a pair scored what it did: Splink's own waterfall of match weights, comparison by comparison.

Splink computes a pair's match weight as the prior plus one weight per comparison (plus a term-frequency
adjustment where a level has one). ``score_components`` re-scores chosen pairs with Splink's
``compare_records`` and the same trained parameters, supplying the term frequencies Splink's ``predict``
computes over the same records, so the parts add up exactly to the weight the run used. It keeps only
each comparison's level and weight, no record values: that is what a linkage run stores for its
review-band pairs and what ``link-files --pairs`` writes (``weights_by_comparison_table``).
``explain_pair`` turns one pair's parts into Splink's waterfall (its rows and its chart) for the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from boroughhub.linkage.train import TrainedModel, settings_with_parameters

PRIOR = "Prior"
FINAL = "Final score"


@dataclass(frozen=True)
class WaterfallStep:
    """One bar of the waterfall: the prior, a comparison's level, its term-frequency adjustment, or the total."""

    comparison: str
    level: str
    match_weight: float
    is_term_frequency_adjustment: bool = False


@dataclass(frozen=True)
class Explanation:
    steps: tuple[WaterfallStep, ...]
    # Splink's waterfall records (no values), kept to draw Splink's own waterfall chart.
    chart_records: tuple[dict[str, Any], ...]

    @property
    def match_weight(self) -> float:
        return next(s.match_weight for s in self.steps if s.comparison == FINAL)

    def weights_by_comparison(self) -> dict[str, float]:
        """The prior and each comparison's weight (its term-frequency adjustment included)."""
        weights: dict[str, float] = {}
        for step in self.steps:
            if step.comparison == FINAL:
                continue
            name = step.comparison.removeprefix("tf_") if step.is_term_frequency_adjustment else step.comparison
            weights[name] = weights.get(name, 0.0) + step.match_weight
        return weights

    def levels_by_comparison(self) -> dict[str, str]:
        return {s.comparison: s.level for s in self.steps
                if s.comparison not in (PRIOR, FINAL) and not s.is_term_frequency_adjustment}


def _explanation(records: list[dict[str, Any]]) -> Explanation:
    steps = tuple(
        WaterfallStep(
            comparison=str(r["column_name"]),
            level=str(r["label_for_charts"]),
            match_weight=float(r["log2_bayes_factor"]),
            is_term_frequency_adjustment=bool(r.get("term_frequency_adjustment")),
        )
        for r in records
    )
    return Explanation(steps=steps, chart_records=tuple(records))


def _settings(model: TrainedModel) -> dict[str, Any]:
    settings = settings_with_parameters(model, "duckdb")
    settings["retain_intermediate_calculation_columns"] = True
    settings["retain_matching_columns"] = True
    return settings


def _settings_object(model: TrainedModel) -> Any:
    from splink.internals.settings_creator import SettingsCreator

    return SettingsCreator.from_path_or_dict(_settings(model)).get_settings("duckdb")


def term_frequency_columns(model: TrainedModel) -> list[str]:
    """The columns whose value frequencies adjust the model's weights (a name shared by few scores more)."""
    return sorted({c.unquote().name for c in _settings_object(model)._term_frequency_columns})


def term_frequency_levels(model: TrainedModel) -> list[tuple[str, int, str]]:
    """(gamma column, level, term-frequency column) for each comparison level a term frequency adjusts."""
    return [
        (comparison._gamma_column_name, level.comparison_vector_value, level._tf_adjustment_input_column.unquote().name)
        for comparison in _settings_object(model).comparisons
        for level in comparison.comparison_levels
        if level._tf_adjustment_input_column is not None
    ]


def score_components(records: pa.Table, model: TrainedModel, pairs: pa.Table) -> pa.Table:
    """Per pair (``unique_id_l``, ``unique_id_r`` of ``pairs``): the level each comparison reached
    (``gamma_*``), Splink's weight for it (``mw_*``), its term-frequency adjustment (``mw_tf_adj_*``) and
    the total ``match_weight``. No record values.

    Term frequencies are taken over all of ``records``, as Splink's ``predict`` takes them. Runs in a
    scratch DuckDB whatever backend scored the pairs (the parameters are the same).
    """
    from splink import DuckDBAPI
    from splink.internals.realtime import compare_records

    if pairs.num_rows == 0:
        return pa.table({"unique_id_l": pa.array([], pa.string()), "unique_id_r": pa.array([], pa.string())})
    settings = _settings(model)
    settings_obj = _settings_object(model)
    tf_columns = term_frequency_columns(model)
    con = duckdb.connect()
    try:
        con.register("explain_records", records.drop_columns(
            [c for c in ("is_new",) if c in records.column_names]))
        # One small table per term-frequency column (as Splink's own), joined only to the records in pairs:
        # the records themselves are never copied.
        for c in tf_columns:
            con.execute(
                f"CREATE TABLE explain_tf_{c} AS SELECT {c}, CAST(count(*) AS DOUBLE) / sum(count(*)) OVER () "
                f"AS tf_{c} FROM explain_records WHERE {c} IS NOT NULL GROUP BY {c}"
            )
        con.register("explain_pairs_arrow", pa.table({
            "unique_id_l": pairs.column("unique_id_l"),
            "unique_id_r": pairs.column("unique_id_r"),
            "pair_no": pa.array(range(pairs.num_rows), pa.int64()),
        }))
        frequencies = "".join(f", t_{c}.tf_{c}" for c in tf_columns)
        joins = " ".join(f"LEFT JOIN explain_tf_{c} AS t_{c} ON t_{c}.{c} = r.{c}" for c in tf_columns)
        sides = {
            side: con.sql(
                f"SELECT p.pair_no, r.*{frequencies} FROM explain_pairs_arrow AS p "
                f"JOIN explain_records AS r ON r.unique_id = p.unique_id_{side} {joins}"
            ).to_arrow_table()
            for side in ("l", "r")
        }
        scored = compare_records(sides["l"], sides["r"], settings, DuckDBAPI(connection=con),
                                 join_condition="l.pair_no = r.pair_no")
        wanted = ["unique_id_l", "unique_id_r", "match_weight"]
        for comparison in settings_obj.comparisons:
            wanted += [comparison._gamma_column_name, f"mw_{comparison.output_column_name}"]
            if comparison._has_tf_adjustments:
                wanted.append(comparison._mw_tf_adj_column_name)
        # Back in the order of ``pairs`` (Splink does not keep pair_no).
        result = con.sql(
            f"SELECT {', '.join('s.' + c for c in wanted)} FROM {scored.physical_name} AS s "
            "JOIN explain_pairs_arrow AS p ON p.unique_id_l = s.unique_id_l AND p.unique_id_r = s.unique_id_r "
            "ORDER BY p.pair_no"
        ).to_arrow_table()
        if result.num_rows != pairs.num_rows:
            # Callers line the parts up with ``pairs`` row by row: a pair lost or doubled would put one
            # pair's explanation beside another's weight.
            raise ValueError(_unmatched_pairs_message(con, pairs.num_rows, result.num_rows))
        return result
    finally:
        con.close()


def _unmatched_pairs_message(con: duckdb.DuckDBPyConnection, wanted: int, got: int) -> str:
    missing = con.execute(
        "SELECT id FROM (SELECT unique_id_l AS id FROM explain_pairs_arrow UNION SELECT unique_id_r FROM "
        "explain_pairs_arrow) WHERE id NOT IN (SELECT unique_id FROM explain_records) ORDER BY id LIMIT 1"
    ).fetchone()
    if missing is not None:
        return (f"Pair record {missing[0]!r} is not among the records given: explain pairs with the same "
                "records that were scored.")
    return (f"{wanted} pairs were given but {got} were explained: give each pair once, and records with "
            "unique ids that are unique.")


def explain_pair(scores: dict[str, Any], model: TrainedModel) -> Explanation:
    """Splink's waterfall of one pair, from its row of ``score_components``."""
    from splink.internals.waterfall_chart import records_to_waterfall_data

    rows = records_to_waterfall_data([scores], _settings_object(model), True)  # type: ignore[no-untyped-call]
    for row in rows:
        row.pop("record_number", None)
        for key, value in list(row.items()):
            if isinstance(value, float) and not math.isfinite(value):
                row[key] = None
    return _explanation(rows)


def weights_by_comparison_table(scores: pa.Table, model: TrainedModel) -> pa.Table:
    """For ``link-files --pairs``: the prior, then each comparison's level and weight (term-frequency
    adjustment included); the weights of a row add up to its ``match_weight``."""
    from splink.internals.misc import prob_to_bayes_factor

    settings_obj = _settings_object(model)
    prior = math.log2(prob_to_bayes_factor(settings_obj._probability_two_random_records_match))
    columns: dict[str, Any] = {"prior_weight": pa.array([prior] * scores.num_rows, pa.float64())}
    for comparison in settings_obj.comparisons:
        name = comparison.output_column_name
        labels = {level.comparison_vector_value: level.label_for_charts for level in comparison.comparison_levels}
        values = sorted(labels)
        position = pc.index_in(scores.column(comparison._gamma_column_name), value_set=pa.array(values, pa.int64()))
        columns[f"{name}_level"] = pc.take(pa.array([labels[v] for v in values], pa.string()), position)
        weight = scores.column(f"mw_{name}").to_numpy(zero_copy_only=False)
        if comparison._has_tf_adjustments:
            weight = weight + scores.column(comparison._mw_tf_adj_column_name).to_numpy(zero_copy_only=False)
        columns[f"{name}_weight"] = pa.array(weight, pa.float64())
    return pa.table(columns)


def waterfall_chart_spec(explanation: Explanation) -> dict[str, Any]:
    """Splink's waterfall chart (Vega-Lite) of one pair, for rendering to SVG."""
    from splink.internals.charts import WaterfallChart

    records = [dict(r, record_number=0) for r in explanation.chart_records]
    return dict(WaterfallChart(records, filter_nulls=True).chart_dict)
