import { render } from "preact";
import { describe, expect, it } from "vitest";
import { ReleaseAction } from "../pages/release";
import { RequestRow } from "../pages/release_requests";
import { canCancel, canDecide, cleanRequestText, releaseOffer, requestTextTooLong } from "../lib/release_requests";
import type { MailDetail, Me, ReleaseRequest } from "../lib/types";

const admin = { is_admin: true, username: "admin", addresses: [], admin_domains: [] } as unknown as Me;
const alice = { is_admin: false, username: "alice", addresses: ["alice@example.org"], admin_domains: [] } as unknown as Me;
const request: ReleaseRequest = {
  id: 3, mail_id: 7, requester: "alice", recipients: ["alice@example.org"],
  comment: "<img src=x onerror=alert(1)>\nsecond line", state: "pending", created_at: Date.UTC(2026, 0, 1),
  decided_by: "", decided_at: null, reason: "", subject: "<b>invoice</b>", mail_from: "x@example.net",
};
const mail = { id: 7, rcpt_to: ["alice@example.org"], content_available: true, releases: [] } as unknown as MailDetail;
const noop = () => {};

function rendered(node: preact.VNode) {
  const root = document.createElement("div");
  render(node, root);
  return root;
}

describe("release requests: what is offered", () => {
  it("follows the mode and a pending request", () => {
    expect(releaseOffer({ ...mail, release_mode: "direct" })).toBe("release");
    expect(releaseOffer({ ...mail })).toBe("release");
    expect(releaseOffer({ ...mail, release_mode: "request" })).toBe("request");
    expect(releaseOffer({ ...mail, release_mode: "off" })).toBe("none");
    expect(releaseOffer({ ...mail, release_mode: "request", release_request: request })).toBe("pending");
    expect(releaseOffer({ ...mail, release_mode: "request", release_request: { ...request, state: "refused" } })).toBe("request");
    expect(releaseOffer({ ...mail, content_available: false, release_mode: "request" })).toBe("none");
  });
  it("cleans comments the way the server accepts them", () => {
    expect(cleanRequestText("a\r\nb\rc\td\u0000e\u0007f\u007f")).toBe("a\nb\nc\tdef");
    expect(requestTextTooLong("x".repeat(1000))).toBe(false);
    expect(requestTextTooLong("x".repeat(1001))).toBe(true);
    expect(requestTextTooLong("é".repeat(501))).toBe(true); // bytes, not characters
  });
  it("lets administrators decide pending requests and requesters cancel theirs", () => {
    expect(canDecide(request, admin)).toBe(true);
    expect(canDecide(request, alice)).toBe(false);
    expect(canDecide({ ...request, state: "approved" }, admin)).toBe(false);
    expect(canCancel(request, alice)).toBe(true);
    expect(canCancel(request, { username: "bob" })).toBe(false);
    expect(canCancel({ ...request, state: "cancelled" }, alice)).toBe(false);
  });
});

describe("release requests: views", () => {
  it("shows 'Request release' in request mode and the pending state instead once asked", () => {
    let root = rendered(<ReleaseAction mail={{ ...mail, release_mode: "request" }} me={alice} reload={noop} notify={noop} />);
    expect(root.querySelector("button")!.textContent).toBe("Request release…");
    root = rendered(<ReleaseAction mail={{ ...mail, release_mode: "direct" }} me={alice} reload={noop} notify={noop} />);
    expect(root.querySelector("button")!.textContent).toBe("Release…");
    root = rendered(<ReleaseAction mail={{ ...mail, release_mode: "off" }} me={alice} reload={noop} notify={noop} />);
    expect(root.querySelector("button")).toBeNull();
    root = rendered(<ReleaseAction mail={{ ...mail, release_mode: "request", release_request: request }} me={alice} reload={noop} notify={noop} />);
    expect(root.textContent).toMatch(/Release requested on .*waiting for an administrator/);
    expect(root.querySelector("button")!.textContent).toBe("Cancel request");
  });
  it("opens the request dialog with a comment box", () => {
    const root = rendered(<ReleaseAction mail={{ ...mail, release_mode: "request" }} me={alice} reload={noop} notify={noop} />);
    root.querySelector("button")!.click();
    return Promise.resolve().then(() => {
      expect(root.querySelector("form[role=dialog]")!.getAttribute("aria-label")).toBe("Request the release of this mail");
      expect(root.textContent).toContain("Comment for the administrators");
      expect(root.querySelector("button[type=submit]")!.textContent!.trim()).toBe("Send request");
    });
  });
  it("gives administrators approve and refuse, and keeps hostile text inert", () => {
    const table = document.createElement("table");
    const body = document.createElement("tbody");
    table.appendChild(body);
    render(<RequestRow r={request} me={admin} onDone={noop} />, body);
    const buttons = [...body.querySelectorAll("button")].map((b) => b.textContent);
    expect(buttons).toEqual(["Approve and release", "Refuse"]);
    expect(body.querySelector("img")).toBeNull();
    expect(body.querySelector("b")).toBeNull();
    expect(body.textContent).toContain("<img src=x onerror=alert(1)>");
    render(<RequestRow r={{ ...request, state: "refused", reason: "phishing", decided_by: "admin", decided_at: 1 }} me={admin} onDone={noop} />, body);
    expect(body.querySelectorAll("button").length).toBe(0);
    expect(body.textContent).toContain("phishing");
  });
  it("gives the requester cancel only", () => {
    const body = document.createElement("tbody");
    render(<RequestRow r={request} me={alice} onDone={noop} />, body);
    expect([...body.querySelectorAll("button")].map((b) => b.textContent)).toEqual(["Cancel request"]);
    render(<RequestRow r={request} me={{ ...alice, username: "bob" } as Me} onDone={noop} />, body);
    expect(body.querySelectorAll("button").length).toBe(0);
  });
});
