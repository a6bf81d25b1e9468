// Administration (supervisors and administrators): the users an administrator manages,
// with Disable / Enable, and the grants the agency made (with Revoke) and receives.
// Every change goes through the admin API with the reason typed here; the server
// checks who may do what (docs/security.md, "The admin API") and logs it.
import { api, type AdminGrant, type AdminUser } from "../api";
import { currentUser } from "../state";
import { h, replace, loading, empty, errorState, thead } from "../dom";

export function adminView(root: HTMLElement): void {
  const role = (currentUser()?.role ?? "").toLowerCase();
  const reason = h("input", { type: "text", id: "admin-reason", size: 40, testid: "admin-reason", autocomplete: "off" });
  const note = h("p", { class: "muted", role: "status", testid: "admin-status" });
  const users = h("div", { testid: "admin-users" });
  const grants = h("div", { testid: "admin-grants" });
  const why = () => reason.value.trim();

  const act = async (what: string, change: () => Promise<unknown>, reload: () => Promise<void>) => {
    if (!why()) { note.textContent = "Give a reason first: every change is logged with it."; reason.focus(); return; }
    try {
      await change();
      note.textContent = `${what}.`;
    } catch (err) {
      note.textContent = `${what} refused: ${err instanceof Error ? err.message : String(err)}`;
    }
    await reload();
  };

  const userRow = (u: AdminUser) => {
    const button = h("button", { type: "button", class: "secondary", testid: "admin-user-toggle", "data-user": u.name },
      u.disabled ? "Enable" : "Disable");
    button.addEventListener("click", () => void act(`${u.name} ${u.disabled ? "enabled" : "disabled"}`,
      () => api.setUserEnabled(u.name, u.disabled, why()), loadUsers));
    return h("tr", { testid: "admin-user-row", "data-user": u.name, "data-disabled": String(u.disabled) },
      h("td", null, u.name), h("td", null, u.agency), h("td", null, u.role), h("td", null, u.clearance),
      h("td", null, u.disabled ? "disabled" : "active"), h("td", null, u.name === currentUser()?.user ? "" : button));
  };

  const grantRow = (g: AdminGrant) => {
    let action: HTMLElement | string = "";
    if (g.direction === "made") {
      const button = h("button", { type: "button", class: "secondary", testid: "admin-grant-revoke", "data-grant": g.id }, "Revoke");
      button.addEventListener("click", () => void act(`grant ${g.id} revoked`, () => api.revokeGrant(g.id, why()), loadGrants));
      action = button;
    }
    return h("tr", { testid: "admin-grant-row", "data-grant": g.id },
      h("td", null, g.direction), h("td", null, g.owner), h("td", null, `${g.recipient}${g.recipient_kind === "group" ? " (group)" : ""}`),
      h("td", null, g.source ?? "all sources"), h("td", null, g.victim_details ? "yes" : "no"), h("td", null, g.granted_by),
      h("td", { class: "small" }, g.reason), h("td", null, action));
  };

  async function loadUsers(): Promise<void> {
    replace(users, loading("Loading users"));
    try {
      const rows = await api.adminUsers();
      replace(users, rows.length ? h("table", { class: "compact" }, thead(["User", "Agency", "Role", "Clearance", "Status", ""]),
        h("tbody", null, ...rows.map(userRow))) : empty("No users."));
    } catch (err) {
      replace(users, errorState(err, () => void loadUsers()));
    }
  }

  async function loadGrants(): Promise<void> {
    replace(grants, loading("Loading grants"));
    try {
      const rows = await api.adminGrants();
      replace(grants, rows.length ? h("table", { class: "compact" }, thead(["Direction", "Owner", "Recipient", "Source", "Victim details", "Granted by", "Reason", ""]),
        h("tbody", null, ...rows.map(grantRow))) : empty("No active grants.", "admin-grants-empty"));
    } catch (err) {
      replace(grants, errorState(err, () => void loadGrants()));
    }
  }

  const admin = role.includes("admin");
  replace(root, h("h1", null, "Administration"),
    h("div", { class: "toolbar" }, h("label", { for: "admin-reason" }, "Reason for changes"), reason), note,
    admin ? h("h2", null, "Users") : null, admin ? users : null,
    h("h2", null, "Grants"), grants);
  if (admin) void loadUsers();
  void loadGrants();
}
