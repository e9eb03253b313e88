"""The comparison across councils as a chart: open findings by type, a bar per council (group), rendered
to SVG on the server (Altair, vl-convert) and always shown beside the table it is drawn from."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import vl_convert

from boroughhub.asm.london import Comparison


def open_findings_chart(rows: Sequence[Comparison]) -> str:
    """SVG of open findings by type and council; "" when nothing is open (the table says so)."""
    data = [{"type": r.title, "council": r.council, "open": r.open} for r in rows if r.open]
    if not data:
        return ""
    spec = (
        alt.Chart(alt.Data(values=data), title="Open findings by type")  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            y=alt.Y("type:N", title=None, sort="-x"),
            x=alt.X("open:Q", title="Open findings", stack="zero"),
            color=alt.Color("council:N", title="Council"),
            tooltip=["type:N", "council:N", "open:Q"],
        )
        .properties(width=420, height=alt.Step(22))
    )
    return str(vl_convert.vegalite_to_svg(spec.to_dict()))
