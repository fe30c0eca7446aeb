"""Turn dated control polygons from elsewhere into a dataset the dashboard, exports and stats work on.

Input: any format pyogrio reads (GeoJSON, GeoPackage, Shapefile zipped or not, KML, KMZ), one file per
date (the date in the file name: YYYYMMDD, YYYY-MM-DD or a unix time) or files whose features carry a
date property. Each polygon's label (a property, or one ``--label`` for all) is mapped to a faction. The
snapshots are overlaid into one fixed partition (every boundary that ever existed splits the ground;
faces smaller than a sliver join their neighbour) and each snapshot becomes the controller of every face
it covers. The dataset written has those faces as zones, the first snapshot as the initial state, one
event per later snapshot, its own factions, dataset.yaml and base layers for its area.

Rules: several snapshots on one day: the last one wins, by file name (a name that extends another, such
as ``x-2024-01-01-v2``, comes after it), then by feature order. Days with no snapshot: the state holds.
3-D coordinates are flattened. Empty geometries are skipped and invalid rings repaired; both are
reported. Labels are compared ignoring case, spaces and punctuation.

The steps live in layers/tools/importing/: labels (labels and factions), read, overlay, write.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..io.meta import DatasetMeta
from .importing.common import ImportProblem, ImportReport, ImportSource, Snapshot
from .importing.labels import LabelPlan, fold, parse_mapping, plan_labels
from .importing.overlay import SLIVER_KM2, assign, digest, partition
from .importing.read import FORMATS, LABEL_PROPERTIES, check_inputs, collect_inputs, read_snapshots, tasks_for
from .importing.write import put_in_place, stage

__all__ = ["FORMATS", "LABEL_PROPERTIES", "SLIVER_KM2", "ImportProblem", "ImportReport", "ImportSource", "LabelPlan",
           "Snapshot", "collect_inputs", "fold", "import_snapshots", "parse_mapping", "plan_labels"]

Progress = Callable[..., None]  # progress(message) or progress(message, done, total)


def import_snapshots(paths: list[Path], out: Path, plan: LabelPlan | dict[str, str], source: ImportSource,
                     template: Path, label_property: str | None = None, date_property: str | None = None,
                     progress: Progress | None = None, crs: str | None = None,
                     meta: DatasetMeta | None = None) -> ImportReport:
    """Check, read, overlay and write. ``plan`` may be a bare mapping (label -> faction): its factions are
    then made from the mapping's values."""
    if isinstance(plan, dict):
        plan = LabelPlan(plan, plan_labels(",".join(f"{k}={v}" for k, v in plan.items()), None, None).factions,
                         None, label_property)
    elif label_property is not None:
        plan = LabelPlan(plan.mapping, plan.factions, plan.label, label_property)
    report = ImportReport()
    tasks = tasks_for(paths, plan, date_property, crs)
    check_inputs(tasks, progress)
    snapshots = read_snapshots(tasks, report, progress)
    keys = [digest(s.areas) for s in snapshots]
    faces = partition(snapshots, report, progress, keys)
    if not faces:
        raise ImportProblem("the polygons cover no area (every face is empty)")
    if progress:
        progress(f"assigning {len(faces)} zones in {len(snapshots)} snapshots")
    controllers = assign(faces, snapshots, keys)
    report.zones = len(faces)
    meta = meta or DatasetMeta()
    meta = DatasetMeta(meta.title, meta.subtitle, meta.area, meta.attribution or
                       f"Control polygons: {source.publisher} ({source.url}). Borders: Natural Earth (public domain). "
                       "Cities: GeoNames (CC BY 4.0).", meta.source_url or source.url, snapshots[-1].day)
    snapshots = [Snapshot(s.day, s.source, {}) for s in snapshots]  # the shapes are done with: free them
    if progress:
        progress(f"writing {len(faces)} zones and {len(snapshots)} events")
    staging = stage(out, faces, snapshots, controllers, source, plan.factions, meta, template)
    del faces, snapshots, controllers  # written: validation loads them back from the files
    if progress:
        progress("validating the dataset")
    put_in_place(staging, out)
    return report
