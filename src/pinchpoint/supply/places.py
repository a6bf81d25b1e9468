"""Where the chain runs, for the map: a small gazetteer of the places the scenario and
public cases name (origin countries and ports, border posts, storage towns, the roads
to the coast, the launch beaches and seizure places).

A place gets the coordinates of the longest gazetteer name its text contains ("A16
near Calais" is at Calais, "lorry park, Fürstenauer Weg, Osnabrück" at Osnabrück); a
text that contains none is left without coordinates, never guessed. A country named on
its own is placed at a point in its main supply region, and says so (`precision`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# name: (latitude, longitude, country, precision)
GAZETTEER: dict[str, tuple[float, float, str, str]] = {
    "istanbul": (41.01, 28.98, "tr", "city"), "izmir": (38.42, 27.14, "tr", "city"),
    "ningbo": (29.87, 121.54, "cn", "city"), "shanghai": (31.23, 121.47, "cn", "city"),
    "burgas": (42.50, 27.47, "bg", "city"), "kapitan andreevo": (41.72, 26.32, "bg", "place"),
    "kalotina": (42.99, 22.87, "bg", "place"), "sofia": (42.70, 23.32, "bg", "city"),
    "plovdiv": (42.14, 24.75, "bg", "city"), "harmanli": (41.93, 25.90, "bg", "city"),
    "hamburg": (53.55, 9.99, "de", "city"), "osnabrück": (52.28, 8.05, "de", "city"),
    "osnabruck": (52.28, 8.05, "de", "city"), "essen": (51.46, 7.01, "de", "city"),
    "lotte": (52.28, 7.92, "de", "place"), "vienna": (48.21, 16.37, "at", "city"),
    "jabbeke": (51.18, 3.09, "be", "place"), "brussels": (50.85, 4.35, "be", "city"),
    "calais": (50.95, 1.86, "fr", "city"), "dunkirk": (51.03, 2.38, "fr", "city"),
    "dunkerque": (51.03, 2.38, "fr", "city"), "gravelines": (50.99, 2.13, "fr", "place"),
    "loon-plage": (51.00, 2.22, "fr", "place"), "wimereux": (50.77, 1.61, "fr", "place"),
    "équihen-plage": (50.68, 1.57, "fr", "place"), "hardelot": (50.63, 1.58, "fr", "place"),
    "le portel": (50.71, 1.57, "fr", "place"), "berck": (50.41, 1.59, "fr", "place"),
    "sangatte": (50.94, 1.75, "fr", "place"), "wissant": (50.89, 1.66, "fr", "place"),
    "ambleteuse": (50.81, 1.60, "fr", "place"), "slack": (50.80, 1.60, "fr", "place"),
    "canche": (50.53, 1.60, "fr", "place"), "boulogne": (50.73, 1.61, "fr", "city"),
    "turkey": (41.01, 28.98, "tr", "country"), "türkiye": (41.01, 28.98, "tr", "country"),
    "china": (29.87, 121.54, "cn", "country"), "bulgaria": (42.70, 23.32, "bg", "country"),
    "germany": (52.28, 8.05, "de", "country"),
}
COUNTRY_CODES = {"tr": "turkey", "cn": "china", "bg": "bulgaria", "de": "germany"}


@dataclass(frozen=True, slots=True)
class Place:
    """A place as the records write it, with coordinates when the gazetteer knows it."""

    text: str
    lat: float | None = None
    lon: float | None = None
    country: str = ""
    precision: str = ""  # city, place, country; "" when not placed

    def as_dict(self) -> dict[str, object]:
        return {"name": self.text, "lat": self.lat, "lon": self.lon,
                "country": self.country, "precision": self.precision}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def place(text: str) -> Place:
    """The place `text` names (see the module docstring)."""
    folded = _fold(text)
    folded = COUNTRY_CODES.get(folded, folded)
    found = [name for name in GAZETTEER
             if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", folded)]
    if not found:
        return Place(text)
    lat, lon, country, precision = GAZETTEER[max(found, key=len)]
    return Place(text, lat, lon, country, precision)


__all__ = ["GAZETTEER", "Place", "place"]
