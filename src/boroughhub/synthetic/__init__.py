"""Synthetic London: seeded, realistic CHAIN, InForm and H-CLIC extracts with their ground truth.

``generate(out_dir, areas=..., start=..., end=..., scale=..., seed=...)`` writes one submission
folder per supplier and source (``out_dir/SUPPLIER/SOURCE/``, as ``sources.md`` defines them) and
``out_dir/truth/``. See ``docs/synthetic.md`` for the life-course model, calibration and noise.
"""

from boroughhub.synthetic.generate import GenerationSummary, generate

__all__ = ["GenerationSummary", "generate"]
