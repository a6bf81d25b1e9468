"""A UFED report's metadata and case information as the `phone` layout's device and
extraction: which handset, whose, extracted when and with what, seized when.

UFED writes these as named items (``<item name="DeviceInfoIMEI">``; older releases
write ``IMEI``, ``MSISDN``) in ``<metadata section="Device Info">`` and
``section="Extraction Data"``, and the examiner's case form as named fields in
``<caseInformation>``, whose names the examiner's template chooses ("Case Number",
"Evidence Number", "Seizure Date"). Items are matched by name, without the
``DeviceInfo`` prefix, case and spacing; the first value of each wins, and every item
not read (a second IMEI, the Android ID) is named in a note, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pinchpoint.ingest.ufdr_xml import Node

DEVICE = {"imei": ("imei", "imei1"), "imsi": ("imsi", "imsi1"),
          "make": ("detectedmanufacturer", "selectedmanufacturer", "manufacturer", "brand"),
          "model": ("detectedmodel", "selecteddevicename", "model")}
NUMBERS = ("msisdn", "msisdn1", "msisdn2", "phonenumber", "ownerphonenumber")
EXTRACTION = {"extracted_at": ("extractionstartdatetime", "extractiondatetime")}
VERSION = ("ufedpaversion", "unitversion")
# Case-form field names, by words they contain: the first rule that matches wins.
CASE = (("seized_at", ("seiz",)), ("exhibit", ("exhibit", "evidence")),
        ("examiner", ("examiner",)), ("case_ref", ("case number", "case no", "case id",
                                                   "case ref")))


def _norm(name: str) -> str:
    key = "".join(c for c in name.lower() if c.isalnum())
    return key.removeprefix("deviceinfo")


@dataclass
class _Item:
    where: str  # "Device Info.IMEI"
    key: str
    value: str | None
    used: bool = False


@dataclass
class Metadata:
    items: list[_Item] = field(default_factory=list)
    case: list[_Item] = field(default_factory=list)
    device_line: int | None = None

    def take(self, node: Node) -> None:
        if node.tag == "caseInformation":
            self.case += [_Item(f"caseInformation.{c.attrs['name']}", c.attrs["name"].lower(),
                                c.value()) for c in node.children if "name" in c.attrs]
            return
        section = node.attrs.get("section", "metadata")
        if section == "Device Info" and self.device_line is None:
            self.device_line = node.line
        self.items += [_Item(f"{section}.{c.attrs['name']}", _norm(c.attrs["name"]), c.value())
                       for c in node.children if "name" in c.attrs]

    def _first(self, names: tuple[str, ...]) -> str | None:
        for name in names:
            for item in self.items:
                if item.key == name and item.value and not item.used:
                    for same in self.items:  # the same value from another extraction
                        same.used |= (same.key, same.value) == (name, item.value)
                    return item.value
        return None

    def _all(self, names: tuple[str, ...]) -> list[str]:
        found = [i for i in self.items if i.key in names and i.value]
        for item in found:
            item.used = True
        return list(dict.fromkeys(i.value for i in found if i.value))

    def _case(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for item in self.case:
            column = next((c for c, words in CASE if any(w in item.key for w in words)), None)
            if column and item.value and column not in out:
                out[column] = item.value
                item.used = True
        return out

    def layout(self, project: dict[str, str]) -> dict[str, Any]:
        """``{"device": ..., "extraction": ...}``; no device when the report names none."""
        device: dict[str, Any] = {k: self._first(names) for k, names in DEVICE.items()}
        device["phone_numbers"] = self._all(NUMBERS)
        owner = self._first(("ownername",))
        device = {k: v for k, v in device.items() if v}
        if owner:
            device["owner"] = {"name": owner}
        version = self._first(VERSION) or project.get("reportVersion")
        extraction = {"tool": "Cellebrite UFED" + (f" {version}" if version else ""),
                      **{k: v for k, names in EXTRACTION.items() if (v := self._first(names))},
                      **self._case()}
        out: dict[str, Any] = {"extraction": extraction}
        if device or self.device_line is not None:
            out["device"] = device
        return out

    def lines(self) -> dict[str, int]:
        return {"/device": self.device_line} if self.device_line is not None else {}

    def notes(self) -> list[str]:
        unread = [i.where for i in [*self.items, *self.case] if i.value and not i.used]
        unread = list(dict.fromkeys(unread))
        return [f"report metadata not read: {', '.join(unread)}"] if unread else []
