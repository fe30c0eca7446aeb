"""Outputs of a day or a span: images (matplotlib), data files, time-lapses."""

from ..model.errors import ExportError
from .exporter import Exporter
from .files import geojson_areas
from .options import (
    ANIMATION_FORMATS,
    DPI_RANGE,
    IMAGE_FORMATS,
    SNAPSHOT_FORMATS,
    WIDTH_RANGE,
    ImageOptions,
    checked_frame,
    find_place,
    parse_every,
    parse_frame,
    whole_number,
)

__all__ = ["ANIMATION_FORMATS", "DPI_RANGE", "IMAGE_FORMATS", "SNAPSHOT_FORMATS", "WIDTH_RANGE", "ExportError",
           "Exporter", "ImageOptions", "checked_frame", "find_place", "geojson_areas", "parse_every",
           "parse_frame", "whole_number"]
