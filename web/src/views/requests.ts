// Requests (issue 20, hit/no-hit between agencies): the hits partners' filters gave on our
// people (with "Check a filter" to upload one, and "Make a filter" for supervisors), the
// requests we sent (status and answer) and those we received (which of our people match;
// Disclose or Decline with a reason, supervisors and administrators only). Each side sees
// its own people only; every step is logged by the server with the reason typed here.
import { api, type MatchGroup, type MatchHit, type MatchRequest } from "../api";
import { currentUser } from "../state";
import { h, replace, loading, empty, errorState, entityLink, thead } from "../dom";
import { askButton, day, kindsText } from "./partners";

function decides(): boolean {
  const role = (currentUser()?.role ?? "").toLowerCase();
  return role.includes("supervisor") || role.includes("admin");
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function requestsView(root: HTMLElement): void {
  const hits = h("div", { testid: "requests-hits" });
  const sent = h("div", { testid: "requests-sent" });
  const received = h("div", { testid: "requests-received" });

  async function loadHits(): Promise<void> {
    replace(hits, loading("Loading hits"));
    try {
      replace(hits, hitsTable(await api.matchHits()));
    } catch (err) {
      replace(hits, errorState(err, () => void loadHits()));
    }
  }

  async function loadRequests(): Promise<void> {
    replace(sent, loading("Loading requests"));
    replace(received, loading("Loading requests"));
    try {
      const rows = await api.matchRequests();
      const mine = rows.filter((r) => r.side === "sent");
      const theirs = rows.filter((r) => r.side === "received");
      replace(sent, mine.length
        ? h("ul", { class: "request-list" }, ...mine.map(sentRow))
        : empty("You have sent no requests. Ask a partner from a hit above, or from a person's profile.", "requests-sent-none"));
      replace(received, theirs.length
        ? h("ul", { class: "request-list" }, ...theirs.map((r) => receivedRow(r, () => void loadRequests())))
        : empty("No partner has asked about your filters.", "requests-received-none"));
    } catch (err) {
      replace(sent, errorState(err, () => void loadRequests()));
      replace(received, h("span"));
    }
  }

  const reload = () => {
    void loadHits();
    void loadRequests();
  };

  replace(root, h("h1", null, "Requests between agencies"),
    h("p", { class: "muted" }, "Partners share filters of their people that hold no names or numbers, only keyed digests. "
      + "Checking one here shows which of your people a partner holds something on; a hit can become a request for the details, "
      + "which the partner discloses or declines."),
    h("section", { class: "card", "aria-labelledby": "requests-hits-title" },
      h("h2", { id: "requests-hits-title" }, "Hits from partner filters"),
      checkForm(reload),
      hits,
      decides() ? filterForm() : null),
    h("section", { class: "card", "aria-labelledby": "requests-sent-title" },
      h("h2", { id: "requests-sent-title" }, "Requests sent"), sent),
    h("section", { class: "card", "aria-labelledby": "requests-received-title" },
      h("h2", { id: "requests-received-title" }, "Requests received"), received),
    receiveForm(reload));
  reload();
}

/** Our people partners' filters hold something on, by partner, each with "Ask". */
function hitsTable(rows: MatchHit[]): HTMLElement {
  if (!rows.length) return empty("No hits yet: check a partner's filter above.", "requests-hits-none");
  return h("div", { class: "table-wrap" }, h("table", { class: "compact" },
    thead(["Person", "Partner", "Matches on", "Strength", "Checked", ""]),
    h("tbody", null, ...rows.map((hit) => h("tr", { testid: "requests-hit", "data-sender": hit.sender },
      h("td", null, hit.entity ? entityLink(hit.entity, hit.label || "one of your people") : hit.label ?? ""),
      h("td", null, hit.sender_name),
      h("td", null, kindsText(hit.kinds)),
      h("td", null, hit.grade),
      h("td", null, day(hit.checked_at)),
      h("td", null, hit.entity ? askButton(hit, [hit.entity]) : null))))));
}

/** "Check a filter": a partner's filter file, with why, checked against our own people. */
function checkForm(done: () => void): HTMLElement {
  const file = h("input", { type: "file", testid: "match-check-file", "aria-label": "A partner's filter file" });
  const reason = h("input", { type: "text", size: 30, testid: "match-check-reason", autocomplete: "off",
    "aria-label": "Why you check it", placeholder: "why you check it" });
  const go = h("button", { type: "button", testid: "match-check-submit" }, "Check a filter");
  const note = h("p", { class: "muted small", role: "status", testid: "match-check-result" });
  go.addEventListener("click", async () => {
    const chosen = file.files?.[0];
    if (!chosen) { note.textContent = "Choose the filter file a partner sent first."; return; }
    if (!reason.value.trim()) { note.textContent = "Give a reason first: the check is logged with it."; reason.focus(); return; }
    go.disabled = true;
    note.textContent = "Checking…";
    try {
      const found = await api.matchCheck(chosen, reason.value.trim());
      const n = found.hits.length;
      note.textContent = `${found.sender_name}'s filter holds something on ${n} of your ${found.people} ${found.people === 1 ? "person" : "people"}.`
        + (found.names_comparable ? "" : " Its name keys differ from this workbench's: some name hits may be missed.");
      done();
    } catch (err) {
      note.textContent = `Not checked: ${message(err)}`;
    } finally {
      go.disabled = false;
    }
  });
  return h("div", null, h("div", { class: "row" }, file, reason, go), note);
}

/** "Make a filter" (supervisors): our shareable people for one of our sharing groups. */
function filterForm(): HTMLElement {
  const group = h("select", { testid: "match-filter-group", "aria-label": "Sharing group" });
  const reason = h("input", { type: "text", size: 30, testid: "match-filter-reason", autocomplete: "off",
    "aria-label": "Why you make it", placeholder: "why you make it" });
  const go = h("button", { type: "button", class: "secondary", testid: "match-filter-make" }, "Make a filter");
  const note = h("p", { class: "muted small", role: "status", testid: "match-filter-result" });
  const fill = (groups: MatchGroup[]) => {
    replace(group, ...groups.map((g) => h("option", { value: g.group },
      `${g.group}${g.members.length ? ` (with ${g.members.map((m) => m.name).join(", ")})` : ""}`)));
    if (!groups.length) {
      go.disabled = true;
      note.textContent = "Your agency is in no sharing group: an administrator puts it in one.";
    }
  };
  api.matchGroups().then(fill, (err) => { note.textContent = `Groups not loaded: ${message(err)}`; });
  go.addEventListener("click", async () => {
    if (!reason.value.trim()) { note.textContent = "Give a reason first: the filter's making is logged with it."; reason.focus(); return; }
    go.disabled = true;
    try {
      const blob = await api.matchFilter(group.value, reason.value.trim());
      const link = h("a", { href: URL.createObjectURL(blob), download: `${currentUser()?.agency ?? "agency"}-${group.value}.filter`,
        testid: "match-filter-download" }, "Save the filter file");
      replace(note, `Filter made for ${group.value}: `, link, ". Send it to the group's members; it holds no name or number.");
      link.click();
    } catch (err) {
      note.textContent = `Not made: ${message(err)}`;
    } finally {
      go.disabled = false;
    }
  });
  return h("details", { class: "match-filter", testid: "match-filter" },
    h("summary", null, "Make a filter of your people for a sharing group"),
    h("div", { class: "row" }, group, reason, go), note);
}

/** "About Aman Hasan Zadah (identity document, strong)": the people a request is about. */
function aboutList(r: MatchRequest): HTMLElement {
  return h("ul", { class: "inline-list" }, ...r.items.map((item, i) => h("li", { testid: "request-item" },
    item.entity ? entityLink(item.entity.id, item.entity.label) : "one of your people",
    ` (${kindsText(item.kinds)}, ${item.grade})`, i < r.items.length - 1 ? ", " : "")));
}

function statusText(r: MatchRequest, ours: boolean): string {
  if (r.status === "open") return ours ? "waiting for an answer" : "open";
  const by = r.decided_by ? ` by ${r.decided_by}` : "";
  const when = r.decided_at ? ` on ${day(r.decided_at)}` : "";
  const why = r.decision_reason ? `: ${r.decision_reason}` : "";
  return `${r.status}${by}${when}${why}`;
}

function sentRow(r: MatchRequest): HTMLElement {
  const shared = r.shared && r.status === "disclosed"
    ? h("p", { class: "small", testid: "request-shared" },
      r.shared.sources.length
        ? `${r.owner_name} shared ${r.shared.sources.length} source${r.shared.sources.length === 1 ? "" : "s"} (${r.shared.sources.join(", ")}): its records of these people are now visible to you.`
        : r.shared.package ? `${r.owner_name} sent a signed package of its records: import it with pinchpoint share import.` : `${r.owner_name} disclosed.`)
    : null;
  return h("li", { class: "request", testid: "request-sent", "data-status": r.status, "data-owner": r.owner },
    h("div", null, h("strong", null, `To ${r.owner_name}`), h("span", { class: "muted" }, ` · ${day(r.created_at)} · ${r.group}`)),
    h("div", null, "About ", aboutList(r)),
    h("div", { class: "small" }, "Reason: ", r.reason),
    h("div", null, "Answer: ", h("span", { testid: "request-status" }, statusText(r, true))),
    shared);
}

function receivedRow(r: MatchRequest, reload: () => void): HTMLElement {
  const matched = r.items.flatMap((item) => item.matches ?? []);
  const unique = [...new Map(matched.map((m) => [m.id, m])).values()];
  const people = unique.length
    ? h("ul", { class: "inline-list", testid: "request-matches" }, ...unique.map((m, i) =>
      h("li", { testid: "request-match" }, entityLink(m.id, m.label), i < unique.length - 1 ? ", " : "")))
    : h("span", { class: "muted" }, "none of your people (decline it)");
  return h("li", { class: "request", testid: "request-received", "data-status": r.status, "data-requester": r.requester },
    h("div", null, h("strong", null, `From ${r.requester_name}`), h("span", { class: "muted" }, ` · ${day(r.created_at)} · ${r.group}`)),
    h("div", null, `They hold ${r.items.length} ${r.items.length === 1 ? "person" : "people"} matching your filter. Of your people, these match: `, people),
    h("div", { class: "small" }, "Their reason: ", r.reason),
    h("div", null, "Status: ", h("span", { testid: "request-status" }, statusText(r, false))),
    r.status === "open" ? decision(r, reload) : null);
}

/** Disclose / Decline with a reason (supervisors and administrators); a sentence otherwise. */
function decision(r: MatchRequest, reload: () => void): HTMLElement {
  if (!decides()) {
    return h("p", { class: "muted small", testid: "request-supervisors-only" },
      "A supervisor or administrator of your agency decides whether to disclose or decline this request.");
  }
  const reason = h("input", { type: "text", size: 36, testid: "request-decision-reason", autocomplete: "off",
    "aria-label": "Reason for the decision", placeholder: "reason (kept in both audit logs)" });
  const note = h("span", { class: "muted small", role: "status", testid: "request-decision-status" });
  const act = async (disclose: boolean, button: HTMLButtonElement) => {
    if (!reason.value.trim()) { note.textContent = "Give a reason first."; reason.focus(); return; }
    button.disabled = true;
    try {
      const done = await api.matchAnswer(r.id, disclose, reason.value.trim());
      if (!done.file) { reload(); return; }
      // A requester on another instance gets the signed answer (and package) by hand.
      const save = (data: string, name: string, label: string, testid: string) =>
        h("a", { href: `data:application/zip;base64,${data}`, download: name, testid }, label);
      replace(row, h("span", null, `${done.status}: save `,
        save(done.file, `match-answer-${r.requester}.zip`, "the answer file", "request-answer-file"),
        done.package ? [" and ", save(done.package, `match-package-${r.requester}.zip`, "the share package", "request-package-file")] : null,
        ` to send ${r.requester_name}.`));
    } catch (err) {
      note.textContent = `Not done: ${message(err)}`;
      button.disabled = false;
    }
  };
  const disclose = h("button", { type: "button", testid: "request-disclose" }, "Disclose");
  const decline = h("button", { type: "button", class: "secondary", testid: "request-decline" }, "Decline");
  disclose.addEventListener("click", () => void act(true, disclose));
  decline.addEventListener("click", () => void act(false, decline));
  const row = h("div", { class: "row" }, reason, disclose, decline, note);
  return row;
}

/** A request or answer file from a partner on another instance. */
function receiveForm(done: () => void): HTMLElement {
  const file = h("input", { type: "file", testid: "match-receive-file", "aria-label": "A request or answer file" });
  const reason = h("input", { type: "text", size: 30, testid: "match-receive-reason", autocomplete: "off",
    "aria-label": "Why you take it", placeholder: "why you take it" });
  const go = h("button", { type: "button", class: "secondary", testid: "match-receive-submit" }, "Take the file");
  const note = h("p", { class: "muted small", role: "status", testid: "match-receive-result" });
  go.addEventListener("click", async () => {
    const chosen = file.files?.[0];
    if (!chosen || !reason.value.trim()) { note.textContent = "Choose the file and give a reason first."; return; }
    go.disabled = true;
    try {
      const row = await api.matchReceive(chosen, reason.value.trim());
      note.textContent = row.side === "sent" ? `${row.owner_name}'s answer: ${row.status}.` : `Request from ${row.requester_name} taken.`;
      done();
    } catch (err) {
      note.textContent = `Not taken: ${message(err)}`;
    } finally {
      go.disabled = false;
    }
  });
  return h("details", { class: "card", testid: "match-receive" },
    h("summary", null, "A request or answer from a partner on another instance"),
    h("div", { class: "row" }, file, reason, go), note);
}
