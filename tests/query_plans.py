"""Reading PostgreSQL's plans in tests: how many rows a query really read, whatever the table's size."""

import json

from django.db import connection


def analyzed_plan(sql, params, tables):
    """Run ``sql`` under EXPLAIN ANALYZE after ANALYZE of ``tables``, big-table style; its plan as a dict.

    Test tables are small enough to be read whole: sequential scans are discouraged, so the
    plan shows whether indexes can find the rows, as they must on a big table.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def rows_read(plan, tables):
    """How many rows the plan's nodes on ``tables`` read, those their filters dropped included."""
    read = 0
    if plan.get("Relation Name") in tables:
        read = (plan["Actual Rows"] + plan.get("Rows Removed by Filter", 0)) * plan["Actual Loops"]
    return read + sum(rows_read(child, tables) for child in plan.get("Plans", []))


def plan_nodes(plan):
    """The plan's nodes, depth first: InitPlans and SubPlans among them."""
    yield plan
    for child in plan.get("Plans", []):
        yield from plan_nodes(child)
