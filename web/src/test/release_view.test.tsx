import { render } from "preact";
import { describe, expect, it } from "vitest";
import { LearnAction, ReleaseHistory } from "../pages/release";
import type { MailDetail, Me } from "../lib/types";

const admin = { is_admin: true, username: "admin", addresses: [], admin_domains: [] } as unknown as Me;
const user = { is_admin: false, username: "alice", addresses: ["alice@example.org"], admin_domains: [] } as unknown as Me;
const mail = {
  id: 7, rcpt_to: ["alice@example.org"], content_available: true,
  releases: [{ at: Date.UTC(2026, 0, 1), by: "alice", to: "alice@example.org", mode: "original", ok: true },
             { at: Date.UTC(2026, 0, 2), by: "admin", to: "x@example.net", mode: "attachment", ok: false, result: "550 no" }],
  learned_as: "spam",
  learns: [{ at: Date.UTC(2026, 0, 3), by: "root", as: "ham", node: "mx1", ok: true, result: "learned" },
           { at: Date.UTC(2026, 0, 4), by: "admin", as: "spam", node: "mx1", ok: true, result: "learned",
             fuzzy: { status: "ok", message: "added to flag 1 (weight 10)" } },
           { at: Date.UTC(2026, 0, 5), by: "bob", as: "ham", node: "mx1", ok: false, result: "refused",
             fuzzy: { status: "skipped", message: "not tried: Bayes learning failed" } }],
} as unknown as MailDetail;
const noop = () => {};

describe("release history and learning", () => {
  it("lists every release attempt in words", () => {
    const root = document.createElement("div");
    render(<ReleaseHistory mail={mail} me={admin} />, root);
    const rows = [...root.querySelectorAll("table.releases tbody tr")].map((r) => [...r.children].slice(1).map((c) => c.textContent));
    expect(rows).toEqual([["alice", "alice@example.org", "as it was", "delivered"],
                          ["admin", "x@example.net", "as an attachment", "failed (550 no)"]]);
  });
  it("says what the mail was learned as, by whom, from the last learn that worked", () => {
    const root = document.createElement("div");
    render(<ReleaseHistory mail={mail} me={admin} />, root);
    expect(root.querySelector(".learned-state")!.textContent).toMatch(/^Learned as spam by admin on /);
    expect(root.querySelectorAll("table.learns tbody tr").length).toBe(3);
  });
  it("shows what each learn did to the fuzzy storage (nothing for learns from before)", () => {
    const root = document.createElement("div");
    render(<ReleaseHistory mail={mail} me={admin} />, root);
    const fuzzy = [...root.querySelectorAll("table.learns tbody tr")].map((r) => r.lastElementChild!.textContent);
    expect(fuzzy).toEqual(["", "done (added to flag 1 (weight 10))", "skipped (not tried: Bayes learning failed)"]);
  });
  it("hides learning from users and offers relearning to admins", () => {
    const root = document.createElement("div");
    render(<ReleaseHistory mail={mail} me={user} />, root);
    expect(root.querySelector(".learned-state")).toBeNull();
    render(<LearnAction mail={mail} me={user} reload={noop} notify={noop} />, root);
    expect(root.querySelectorAll("button").length).toBe(0);
    render(<LearnAction mail={mail} me={admin} reload={noop} notify={noop} />, root);
    expect([...root.querySelectorAll("button")].map((b) => b.textContent)).toEqual(["Learn as spam", "Relearn as ham"]);
    render(<ReleaseHistory mail={{ ...mail, releases: [], learns: [], learned_as: null }} me={admin} />, root);
    expect(root.textContent).toContain("Not released yet.");
    expect(root.textContent).toContain("Not learned yet.");
  });
});
