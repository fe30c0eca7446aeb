"""Time-lapses: GIF and MP4 frames with a progress bar burned in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..engine.scene import Scenes
from ..io.atomic import atomic_output
from ..model.errors import ExportError, Problem
from .options import ANIMATION_FORMATS, MAX_FRAMES, ImageOptions


def frame_days(sc: Scenes, start: dt.date, end: dt.date, every: dt.timedelta) -> list[dt.date]:
    outside = [message for d in (start, end) if (message := sc.ds.outside(d)) is not None]
    if outside:
        raise ExportError([Problem("", "", message) for message in outside])
    if end <= start:
        raise ExportError(f"the end {end} must come after the start {start}")
    n = (end - start) // every + 1
    if n + 1 > MAX_FRAMES:
        raise ExportError(f"{n} frames is too many (at most {MAX_FRAMES}): use a longer --every")
    days = [start + i * every for i in range(n)]
    return days if days[-1] == end else days + [end]

def write_animation(render: Callable[[dt.date, ImageOptions], Any], days: Sequence[dt.date], path: Path,
                    opts: ImageOptions, fps: int = 4,
                    progress: Callable[[int, int, dt.date], None] | None = None) -> None:
    import matplotlib.pyplot as plt

    suffix = path.suffix.lower()
    if suffix not in ANIMATION_FORMATS:
        raise ExportError(f"unknown format {suffix or '(none)'!r}: use .gif or .mp4")
    if not 1 <= fps <= 30:
        raise ExportError(f"fps {fps} is out of range (1-30)")
    opts = opts.check()
    with atomic_output(path) as tmp:
        writer = _FrameWriter(tmp, suffix, fps)
        try:
            for i, day in enumerate(days):
                fig = render(day, opts)
                try:
                    writer.add(_rgb(fig, opts.dpi, i / max(1, len(days) - 1)))
                finally:
                    plt.close(fig)
                if progress:
                    progress(i + 1, len(days), day)
        finally:
            writer.close()



def _rgb(fig: Any, dpi: int, fraction: float) -> np.ndarray:
    """The rendered frame as an RGB array, with a progress bar along its bottom edge."""
    fig.set_dpi(dpi)
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[:, :, :3].copy()
    h, w = rgb.shape[:2]
    bar = max(3, h // 150)
    rgb[h - bar:, :, :] = (225, 221, 210)
    rgb[h - bar:, : int(round(w * fraction)), :] = (138, 28, 28)
    return rgb[: h - h % 2, : w - w % 2]  # even sizes for the video encoder


class _FrameWriter:
    def __init__(self, path: Path, suffix: str, fps: int):
        self.path, self.suffix, self.fps = path, suffix, fps
        self.frames: list[Any] = []
        self.video: Any = None

    def add(self, rgb: np.ndarray) -> None:
        if self.suffix == ".gif":
            from PIL import Image

            self.frames.append(Image.fromarray(rgb).quantize(colors=128, method=Image.Quantize.MEDIANCUT))
            return
        if self.video is None:
            import imageio.v2 as imageio

            self.video = imageio.get_writer(self.path, format="FFMPEG", mode="I", fps=self.fps, codec="libx264",
                                            quality=7, macro_block_size=2, ffmpeg_log_level="error")
        self.video.append_data(rgb)

    def close(self) -> None:
        if self.video is not None:
            self.video.close()
        elif self.frames:
            first, rest = self.frames[0], self.frames[1:]
            first.save(self.path, format="GIF", save_all=True, append_images=rest,
                       duration=int(1000 / self.fps), loop=0, disposal=1)

