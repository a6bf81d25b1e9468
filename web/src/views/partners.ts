// Hit/no-hit on a profile (issue 20): "Border Force holds something on this phone", from the
// agency's checks of partners' filters (GET /api/match/hits?entity=), each with "Ask
// BORDER-FORCE", which sends a request with a typed reason (kept in both audit logs). The
// partner's data is never here: only that something of a kind matches, and how strongly.
import { api, type MatchHit, type MatchRequest } from "../api";
import { h, replace } from "../dom";

/** Identifier kinds in plain words. */
export const KIND_WORDS: Record<string, string> = {
  phone: "phone", document: "identity document", name: "name", email: "e-mail address",
  iban: "bank account", imei: "handset",
};

/** "phone", "phone and name", "phone, name and e-mail address". */
export function kindsText(kinds: string[]): string {
  const words = kinds.map((k) => KIND_WORDS[k] ?? k);
  return words.length <= 1 ? (words[0] ?? "identifier") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** The day of a "2026-12-08 10:31" time. */
export function day(at: string | null | undefined): string {
  return (at ?? "").slice(0, 10);
}

/** "Border Force holds something on this phone (strong, checked 2026-12-08)". */
export function hitSentence(hit: MatchHit): string {
  return `${hit.sender_name} holds something on this ${kindsText(hit.kinds)} (${hit.grade}, checked ${day(hit.checked_at)})`;
}

/** A reason field and Send, which asks `hit.sender` about `entities` (all our hits on its
 *  filter when none given); `done` hears of the request made. */
export function askForm(hit: MatchHit, entities: string[] | undefined, done?: (r: MatchRequest) => void): HTMLElement {
  const reason = h("input", { type: "text", size: 40, testid: "partner-ask-reason", autocomplete: "off",
    "aria-label": `Why you ask ${hit.sender_name}`, placeholder: "why you ask (kept in both audit logs)" });
  const send = h("button", { type: "button", testid: "partner-ask-send" }, "Send request");
  const note = h("span", { class: "muted small", role: "status", testid: "partner-ask-status" });
  const form = h("div", { class: "row", testid: "partner-ask-form", hidden: true }, reason, send, note);
  send.addEventListener("click", async () => {
    const why = reason.value.trim();
    if (!why) {
      note.textContent = "Give a reason first: the request and its reason go into both agencies' audit logs.";
      reason.focus();
      return;
    }
    send.disabled = true;
    try {
      const made = await api.matchAsk(hit.sender, why, entities);
      replace(note, `Request sent to ${made.owner_name}. Its answer will be on the `,
        h("a", { href: "#/requests", testid: "partner-ask-requests-link" }, "Requests"), " page.",
        // An owner on another instance gets the signed request by hand.
        made.file ? h("span", null, " ", h("a", {
          href: `data:application/zip;base64,${made.file}`, download: `match-request-${made.owner}.zip`, testid: "partner-ask-file",
        }, "Save the request file"), ` to send ${made.owner_name}.`) : null);
      reason.disabled = true;
      done?.(made);
    } catch (err) {
      note.textContent = `Not sent: ${err instanceof Error ? err.message : String(err)}`;
      send.disabled = false;
    }
  });
  return form;
}

/** "Ask BORDER-FORCE": opens the reason field beneath it. */
export function askButton(hit: MatchHit, entities: string[] | undefined): HTMLElement {
  const form = askForm(hit, entities);
  const button = h("button", { type: "button", class: "secondary", testid: "partner-ask", "data-sender": hit.sender },
    `Ask ${hit.sender}`);
  button.addEventListener("click", () => {
    form.hidden = false;
    button.disabled = true;
    (form.querySelector("input") as HTMLInputElement | null)?.focus();
  });
  return h("span", null, button, form);
}

/** The profile's "Partners hold something" panel; left out when no partner's filter holds
 *  anything on the entity (or the hits cannot be read: the profile stands without them). */
export function partnersPanel(entity: string): HTMLElement {
  const section = h("section", { class: "card profile-partners", "aria-labelledby": "partners-title", testid: "profile-partners", hidden: true });
  void (async () => {
    let hits: MatchHit[];
    try {
      hits = await api.matchHits(entity);
    } catch {
      return;
    }
    if (!hits.length) return;
    replace(section,
      h("h2", { id: "partners-title" }, "Partners hold something"),
      h("p", { class: "muted small" }, "From your agency's checks of partners' match filters: only that something of this kind matches, never what. Ask the partner for the details."),
      h("ul", { class: "partner-hits" }, ...hits.map((hit) => h("li", { testid: "partner-hit", "data-sender": hit.sender, "data-grade": hit.grade },
        h("span", { testid: "partner-hit-text" }, hitSentence(hit)), " ", askButton(hit, [entity])))));
    section.hidden = false;
  })();
  return section;
}
