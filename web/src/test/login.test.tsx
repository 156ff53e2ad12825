import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LoginPage } from "../pages/login";

function reply(status: number, body: unknown) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } }));
}

const flush = () => act(() => new Promise((r) => setTimeout(r, 0)));

describe("LoginPage", () => {
  afterEach(() => { vi.unstubAllGlobals(); history.replaceState(null, "", "/"); });

  it("offers SSO only when the server has it, and says why an SSO login failed", async () => {
    history.replaceState(null, "", "/mails?login_error=not_allowed<script>");
    vi.stubGlobal("fetch", vi.fn(() => reply(200, { password: true, oidc: true })));
    const el = document.createElement("div");
    act(() => render(<LoginPage onLogin={() => {}} />, el));
    await flush();
    const sso = el.querySelector("a.button") as HTMLAnchorElement;
    expect(sso.getAttribute("href")).toBe("/api/v1/session/oidc/start?return_to=%2Fmails");
    expect(el.querySelector("[role=alert]")!.textContent).toContain("(not_allowedscript)");

    vi.stubGlobal("fetch", vi.fn(() => reply(200, { password: true, oidc: false })));
    const el2 = document.createElement("div");
    act(() => render(<LoginPage onLogin={() => {}} />, el2));
    await flush();
    expect(el2.querySelector("a.button")).toBeNull();
  });

  it("asks for the TOTP code when the server wants one, then sends it", async () => {
    const bodies: any[] = [];
    vi.stubGlobal("fetch", vi.fn((url: string, init?: RequestInit) => {
      if (url.endsWith("/auth/methods")) return reply(200, { oidc: false });
      bodies.push(JSON.parse(String(init?.body)));
      return bodies.length === 1 ? reply(401, { error: "totp_required", message: "code needed" })
                                 : reply(200, { username: "carol", csrf_token: "c" });
    }));
    const onLogin = vi.fn();
    const el = document.createElement("div");
    document.body.appendChild(el);
    act(() => render(<LoginPage onLogin={onLogin} />, el));
    await flush();
    const set = (name: string, v: string) => {
      const input = el.querySelector(`input[name=${name}]`) as HTMLInputElement;
      input.value = v;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    };
    set("username", "carol");
    set("password", "pw");
    await flush();
    el.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await flush();
    expect(el.querySelector("input[name=totp]")).not.toBeNull();
    set("totp", " 123456 ");
    await flush();
    el.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await flush();
    expect(bodies[1]).toEqual({ username: "carol", password: "pw", totp: "123456" });
    expect(onLogin).toHaveBeenCalledOnce();
    el.remove();
  });
});
