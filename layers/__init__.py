"""The pure core of the northern Syria control map: data, timeline, geometry. Never imports dash."""

from .engine.timeline import State, Timeline, resolve_state
from .io.dataset import load_dataset
from .model.errors import DataError, Problem
from .model.records import Dataset, Event, Faction, Place, Zone

__all__ = ["DataError", "Dataset", "Event", "Faction", "Place", "Problem", "State", "Timeline", "Zone",
           "load_dataset", "resolve_state"]
