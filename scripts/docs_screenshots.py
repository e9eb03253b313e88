"""Copies the browser tests' screenshots into docs/guides/screenshots/, small enough to keep in git.

    .venv/bin/python scripts/docs_screenshots.py            # every var/screenshots/journey-*.png

The journey test (tests/browser/test_whole_journey_in_a_browser.py) saves a full-page screenshot of each
step in var/screenshots/. The guides show the top of each page (at most MAX_HEIGHT pixels), reduced to
a 256-colour palette, which keeps a page of text legible at a fifth of the size.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image

REPOSITORY = Path(__file__).resolve().parents[1]
MAX_HEIGHT = 1600


def copy_for_docs(source: Path, target: Path, max_height: int = MAX_HEIGHT) -> int:
    """Writes the cropped, palette-reduced copy; returns its size in bytes."""
    with Image.open(source) as image:
        cropped = image.convert("RGB").crop((0, 0, image.width, min(image.height, max_height)))
        reduced = cropped.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        target.parent.mkdir(parents=True, exist_ok=True)
        reduced.save(target, optimize=True)
    return target.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, default=REPOSITORY / "var" / "screenshots")
    parser.add_argument("--to", type=Path, default=REPOSITORY / "docs" / "guides" / "screenshots")
    parser.add_argument("--pattern", default="journey-*.png")
    args = parser.parse_args()
    for path in sorted(args.source.glob(args.pattern)):
        size = copy_for_docs(path, args.to / path.name)
        print(f"{path.name}: {size // 1024} KiB")  # noqa: T201 - a script's report


if __name__ == "__main__":
    main()
