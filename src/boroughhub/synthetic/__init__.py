"""Synthetic London: seeded, realistic CHAIN, InForm and H-CLIC extracts with their ground truth.

``generate(out_dir, areas=..., start=..., end=..., scale=..., seed=...)`` writes one submission
folder per supplier and source (``out_dir/SUPPLIER/SOURCE/``, as ``sources.md`` defines them) and
``out_dir/truth/``. ``build_residents`` adds the people known to adult social care, housing and
outreach for the resident view (issue 17), from the same truth files. See ``docs/synthetic.md`` for the life-course model, calibration and noise.
"""

from boroughhub.synthetic.generate import GenerationSummary, generate
from boroughhub.synthetic.residents import RESIDENT_TEAMS, STORY_RESIDENTS, ResidentsWorld, build_residents

__all__ = ["RESIDENT_TEAMS", "STORY_RESIDENTS", "GenerationSummary", "ResidentsWorld", "build_residents", "generate"]
