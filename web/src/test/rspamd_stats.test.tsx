import { render } from "preact";
import { describe, expect, it } from "vitest";
import { formatDuration } from "../lib/format";
import { RspamdNodes } from "../pages/rspamd_stats";

describe("Rspamd nodes", () => {
  it("shows each node's numbers, and one that does not answer as such", () => {
    const root = document.createElement("div");
    render(<RspamdNodes nodes={[
      { node: "mx1", ok: true, error: null, fetched_at: Date.UTC(2026, 0, 2), version: "3.4", uptime: 93784,
        scanned: 1200, learned: 17, actions: { reject: 5, "no action": 1000, greylist: 0 } },
      { node: "mx2", ok: false, error: "connection refused", fetched_at: null },
      { node: "mx3", ok: false, error: null, fetched_at: null },
    ]} />, root);
    const rows = [...root.querySelectorAll("tbody tr")].map((r) => [...r.children].map((c) => c.textContent));
    expect(rows[0].slice(0, 5)).toEqual(["mx1", "3.4", "1 d 2 h", "1200", "17"]);
    expect(rows[0][5]).toBe("Rejected: 5, Clean: 1000");
    expect(rows[1][0]).toBe("mx2Not answering: connection refused");
    expect(rows[1].slice(2, 5)).toEqual(["", "", ""]);
    expect(rows[1][6]).toBe("never");
    expect(rows[2][0]).toBe("mx3Not asked yet.");
  });
  it("says so when no controller is configured", () => {
    const root = document.createElement("div");
    render(<RspamdNodes nodes={[]} />, root);
    expect(root.textContent).toBe("No Rspamd controller is configured.");
  });
  it("formats uptimes", () => {
    expect(formatDuration(42)).toBe("42 s");
    expect(formatDuration(125)).toBe("2 min");
    expect(formatDuration(3 * 3600 + 120)).toBe("3 h 2 min");
    expect(formatDuration(-5)).toBe("0 s");
  });
});
