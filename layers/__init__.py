"""The pure core of the northern Syria control map: data, timeline, geometry. Never imports dash."""

from .errors import DataError, Problem
from .load import load_dataset
from .model import Dataset, Event, Faction, Place, Zone
from .timeline import State, Timeline, resolve_state

__all__ = ["DataError", "Dataset", "Event", "Faction", "Place", "Problem", "State", "Timeline", "Zone",
           "load_dataset", "resolve_state"]
