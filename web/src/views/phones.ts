// Phones view: the numbers, e-mail addresses and handles found on many seized phones,
// most devices first, with the names they were saved under and when they were
// contacted; a number opens the devices it was found on (GET /api/phones/common,
// /api/phones/devices). Numbers held by victims or witnesses are never ranked.

import { api, type PhoneCommon, type PhonesCommonality } from "../api";
import { h, replace, loading, empty, thead, fmt } from "../dom";
import { requestError } from "../moneyfmt";

const DEVICE_CHOICES = [2, 3, 5, 10, 20];

export async function phonesView(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const chosen = Number(params.get("min") ?? 2);
  const min = h("select", { id: "phones-min", testid: "phones-min" },
    ...DEVICE_CHOICES.map((n) => h("option", { value: n, selected: n === chosen }, String(n))));
  const out = h("div", { testid: "phones-result" });
  const detail = h("section", { class: "card", "aria-labelledby": "phones-devices-title", testid: "phones-devices", hidden: true });
  const load = async () => {
    replace(out, loading("Counting numbers across seized phones"));
    try {
      const found = await api.phonesCommon(Number(min.value), 50);
      replace(out, ...rendered(found, (item) => void showDevices(detail, item)));
    } catch (err) {
      replace(out, requestError(err, () => void load()));
    }
  };
  min.addEventListener("change", () => {
    history.replaceState(null, "", `#/phones?min=${min.value}`);
    void load();
  });
  replace(root,
    h("h1", null, "Phones"),
    h("p", { class: "muted small", testid: "phones-intro" },
      "Numbers, e-mail addresses and handles found on the seized phones you may see, most devices first. " +
      "A number many arrivals saved is usually a smuggler's. Numbers recorded as a victim's or witness's are never ranked."),
    h("section", { class: "card", "aria-labelledby": "phones-common-title" },
      h("h2", { id: "phones-common-title" }, "Found on many phones"),
      h("div", { class: "toolbar" }, h("label", { for: "phones-min" }, "Found on at least (devices)"), min),
      out),
    detail);
  await load();
}

function rendered(found: PhonesCommonality, open: (item: PhoneCommon) => void): HTMLElement[] {
  const parts: HTMLElement[] = [h("p", { class: "small muted", testid: "phones-summary" },
    `${fmt(found.candidates)} identifiers on ${found.min_devices} devices or more; ` +
    `${fmt(found.protected)} held by victims or witnesses, not ranked.`)];
  if (!found.ranked.length) {
    parts.push(empty("No number is found on that many of the phones you may see.", "phones-empty"));
  } else {
    parts.push(h("div", { class: "table-wrap" }, h("table", { testid: "phones-table" },
      thead(["Number / handle", "Devices", "Arrivals' phones", "Calls and messages", "Before seizure", "First", "Last", "Saved as"]),
      h("tbody", null, ...found.ranked.map((item) => row(item, open))))));
  }
  if (found.disputed.length) {
    parts.push(h("div", { class: "state error", role: "status", testid: "phones-disputed" },
      h("strong", null, "Disputed, not ranked: "),
      ...found.disputed.map((d) => h("span", null,
        `${d.identifier} (${d.devices} devices): a victim or witness for ${d.protected_by.join(", ")}, a suspect for ${d.accused_by.join(", ")}. `))));
  }
  return parts;
}

function row(item: PhoneCommon, open: (item: PhoneCommon) => void): HTMLTableRowElement {
  const names = [...new Set(item.names.map((n) => n.name))].slice(0, 5).join(", ");
  const button = h("button", { type: "button", class: "link", testid: "phones-open" }, item.identifier);
  button.addEventListener("click", () => open(item));
  const before = item.dated_devices ? `${item.before_seizure} of ${item.dated_devices}` : "–";
  return h("tr", { testid: "phones-row" },
    h("td", null, button, " ", h("a", { href: `#/search?q=${encodeURIComponent(item.identifier)}`, class: "small" }, "search")),
    h("td", { class: "num" }, fmt(item.devices)), h("td", { class: "num" }, fmt(item.arrival_devices)),
    h("td", { class: "num" }, fmt(item.contacts)), h("td", { class: "num" }, before),
    h("td", null, (item.first_contact ?? "–").slice(0, 10)), h("td", null, (item.last_contact ?? "–").slice(0, 10)),
    h("td", null, names || "–"));
}

async function showDevices(el: HTMLElement, item: PhoneCommon): Promise<void> {
  el.hidden = false;
  replace(el, h("h2", { id: "phones-devices-title" }, `Phones holding ${item.identifier}`), loading("Listing devices"));
  try {
    const found = await api.phoneDevices(item.identifier);
    replace(el, h("h2", { id: "phones-devices-title" }, `Phones holding ${item.identifier}`),
      h("p", { class: "small muted" }, "Saved as: ", item.names.map((n) => `${n.name} (${n.agency}, ${n.devices})`).join("; ") || "–"),
      h("div", { class: "table-wrap" }, h("table", { testid: "phones-devices-table" },
        thead(["Agency", "Extraction", "Seized"]),
        h("tbody", null, ...found.devices.map((d) => {
          const [agency, file] = d.device.split("/", 2);
          return h("tr", null, h("td", null, agency), h("td", null, file ?? ""), h("td", null, d.seized_at ?? "–"));
        })))));
  } catch (err) {
    replace(el, requestError(err, () => void showDevices(el, item)));
  }
}
