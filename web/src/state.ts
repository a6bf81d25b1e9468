// Shared session state, kept apart from main.ts so views need not import the router.
import type { Me } from "./api";

let me: Me | null = null;

export function currentUser(): Me | null {
  return me;
}

export function setUser(user: Me | null): void {
  me = user;
}

/** Go to a hash route; re-renders even when the hash does not change. */
export function navigate(hash: string): void {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = hash;
}
