import { api, ApiError, session } from "../api";
import { h } from "../dom";
import { navigate, setUser } from "../state";

export function loginView(root: HTMLElement, params: URLSearchParams): void {
  const username = h("input", { id: "login-username", name: "username", type: "text", autocomplete: "username", required: true, testid: "login-username" });
  const password = h("input", { id: "login-password", name: "password", type: "password", autocomplete: "current-password", required: true, testid: "login-password" });
  const submit = h("button", { type: "submit", testid: "login-submit" }, "Sign in");
  const message = h("div", { class: "form-message", role: "alert", "aria-live": "assertive", testid: "login-error" });
  const form = h("form", { class: "login-form card", testid: "login-form", "aria-labelledby": "login-title" },
    h("h1", { id: "login-title" }, "Pinchpoint"),
    h("p", { class: "muted" }, "Intelligence workbench. Sign in with your agency account."),
    h("label", { for: "login-username" }, "Username"), username,
    h("label", { for: "login-password" }, "Password"), password,
    submit, message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    message.textContent = "";
    submit.disabled = true;
    submit.textContent = "Signing in…";
    try {
      const res = await api.login(username.value.trim(), password.value);
      session.token = res.token;
      session.purpose = "";  // each sign-in gives its own purpose (asked for before any read)
      setUser({ user: res.user, agency: res.agency, role: res.role, clearance: res.clearance });
      const next = params.get("next");
      navigate(next && next.startsWith("#/") && !next.startsWith("#/login") ? next : "#/search");
    } catch (err) {
      message.textContent = err instanceof ApiError && (err.status === 401 || err.status === 403)
        ? "Wrong username or password."
        : `Sign-in failed: ${err instanceof Error ? err.message : String(err)}`;
      password.select();
    } finally {
      submit.disabled = false;
      submit.textContent = "Sign in";
    }
  });
  root.classList.add("login-page");
  root.append(form);
  username.focus();
}
