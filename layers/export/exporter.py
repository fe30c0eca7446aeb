"""One object that writes every kind of snapshot and time-lapse of a dataset."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..engine.scene import DayView, Scenes
from ..engine.timeline import Timeline
from ..io.atomic import atomic_output
from ..model import credits
from ..model.errors import ExportError
from ..model.records import Dataset
from . import animate, files
from .options import IMAGE_FORMATS, SNAPSHOT_FORMATS, ImageOptions


class Exporter:
    """Writes every snapshot format and time-lapse of a dataset from its scenes."""

    def __init__(self, ds: Dataset, timeline: Timeline):
        self.ds, self.timeline = ds, timeline
        self.scenes = Scenes(ds, timeline)

    def view(self, day: dt.date) -> DayView:
        return self.scenes.view(day)

    def geojson(self, day: dt.date) -> dict[str, Any]:
        return files.geojson(self.scenes, day)

    def place_rows(self, day: dt.date) -> list[dict[str, Any]]:
        return files.place_rows(self.scenes, day)

    # -------------------------------------------------------------- images
    def render(self, day: dt.date, opts: ImageOptions) -> Any:
        """A matplotlib Figure of the day: map, title, date, legend, sources line, attribution, scale bar."""
        from .render import render_figure

        return render_figure(self.scenes, self.view(day), opts.check())

    def write_image(self, day: dt.date, path: Path, opts: ImageOptions) -> None:
        import matplotlib.pyplot as plt

        fig = self.render(day, opts)
        try:
            with atomic_output(path) as tmp:
                fig.savefig(tmp, format=path.suffix[1:], dpi=opts.dpi,
                            metadata=_metadata(path.suffix, day, opts.title or credits.title(self.ds.meta),
                                                    credits.attribution(self.ds.meta)))
        finally:
            plt.close(fig)

    def frame_days(self, start: dt.date, end: dt.date, every: dt.timedelta) -> list[dt.date]:
        return animate.frame_days(self.scenes, start, end, every)

    def write_animation(self, days: Sequence[dt.date], path: Path, opts: ImageOptions, fps: int = 4,
                        progress: Callable[[int, int, dt.date], None] | None = None) -> None:
        animate.write_animation(self.render, days, path, opts, fps, progress)

    def write(self, day: dt.date, path: Path, opts: ImageOptions | None = None) -> None:
        """Write the snapshot whose format the file extension names."""
        suffix = path.suffix.lower()
        if suffix in IMAGE_FORMATS:
            self.write_image(day, path, opts or ImageOptions())
        elif suffix == ".geojson":
            files.write_geojson(self.scenes, day, path)
        elif suffix == ".gpkg":
            files.write_geopackage(self.scenes, day, path)
        elif suffix == ".csv":
            files.write_csv(self.scenes, day, path)
        else:
            raise ExportError(f"unknown format {suffix or '(none)'!r}: use one of {' '.join(SNAPSHOT_FORMATS)}")



def _metadata(suffix: str, day: dt.date, title: str, attribution: str) -> dict[str, str]:
    description = f"{title}, {day.isoformat()}. {attribution}"
    if suffix == ".png":
        return {"Title": title, "Description": description, "Source": "controlmap"}
    if suffix == ".pdf":
        return {"Title": f"{title}, {day.isoformat()}", "Subject": description, "Creator": "controlmap"}
    return {"Title": f"{title}, {day.isoformat()}", "Description": description}




