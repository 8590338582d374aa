"""Where the benchmarks that measure at national scale find the full open-data files (the
layout of the workshop's shared/data folder: boundaries/nl_pc4_spatialrisk.geojson, ...).
The product and its tests never need them: they use buurtwacht/demo/open_data/."""

import os
import sys
from pathlib import Path


def full_open_data() -> Path:
    """OPEN_DATA_DIR when set, else ../shared/data beside the checkout; stops with a clear
    message when neither holds the files."""
    path = Path(
        os.environ.get("OPEN_DATA_DIR")
        or Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    )
    if not (path / "boundaries").is_dir():
        sys.exit(
            f"{path} has no boundaries/ folder: this benchmark needs the full open-data files "
            "(national PC4 outlines, 25,000 Groningen addresses); set OPEN_DATA_DIR"
        )
    return path
