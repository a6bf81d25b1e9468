// What the Money view and the profile share: how a party and an amount are written, and
// an error shown without a "Retry" where retrying cannot help (a 4xx: the request itself
// is wrong, or not allowed).

import { ApiError } from "./api";
import { errorState, h, retryable } from "./dom";

const RAW_ID = /^[0-9a-f]{40}(\.[0-9a-f]{16})?$/i;

/** A party as a person reads it: its label, or "unnamed …" with the start of its id
 *  where it has no name (never the raw 40-character id). */
export function partyName(id: string, label?: string | null): string {
  const text = (label ?? "").trim();
  if (text && text !== id && !RAW_ID.test(text)) return text;
  return `unnamed party ${id.slice(0, 8)}`;
}

/** "9,500.25 GBP": an amount the API gives as a decimal string, with its currency. */
export function money(value: string | number | null | undefined, currency: string): string {
  const n = typeof value === "number" ? value : Number(value);
  if (value === null || value === undefined || Number.isNaN(n)) return `– ${currency}`;
  return `${n.toLocaleString("en-GB", { maximumFractionDigits: 2, minimumFractionDigits: 0 })} ${currency}`;
}

/** The error as a message; "Retry" offered only where a retry may help (network, 5xx,
 *  409 not ready yet, 429 too many: `retryable`). Any other 4xx keeps the server's own
 *  reason (which party, which date is wrong). */
export function requestError(err: unknown, retry?: () => void): HTMLElement {
  if (!(err instanceof ApiError) || retryable(err)) return errorState(err, retry);
  const why = err.status === 403 ? `Not permitted: ${err.message}` : err.message;
  return h("div", { class: "state error", role: "alert", testid: "state-error", "data-status": err.status },
    h("strong", null, "Error"), ` (HTTP ${err.status}): `, why);
}
