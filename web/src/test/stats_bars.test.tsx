import { render } from "preact";
import { describe, expect, it } from "vitest";
import type { Report } from "../lib/types";
import { ActionBars, measure, TopTable } from "../pages/stats_bars";

const report = (field: string, mode: string, rows: [string, number, number, number][]): Report => ({
  field, mode, rows: rows.map(([value, total, stored, size]) => ({ value, total, stored, size })),
  totals: { total: 0, stored: 0, size: 0 },
});

function bars(root: HTMLElement) {
  return [...root.querySelectorAll<HTMLElement>(".bar-fill")].map((b) => [b.className, b.style.width]);
}

describe("statistics bars", () => {
  it("show each action's share in the list rows' colours", () => {
    const root = document.createElement("div");
    render(<ActionBars actions={[{ action: "no action", count: 3, percent: 75 },
      { action: "reject", count: 1, percent: 25 }, { action: "odd", count: 0, percent: 0 }]} />, root);
    expect(bars(root)).toEqual([["bar-fill row-clean", "75%"], ["bar-fill row-reject", "25%"], ["bar-fill row-other", "0%"]]);
    expect(root.querySelector("li")!.textContent).toBe("Clean3 (75%)");
  });
  it("measure a top report by what it is ordered by, against its first row", () => {
    const root = document.createElement("div");
    render(<TopTable report={report("mail_from_domain", "volume", [["big.example", 1, 0, 4000], ["", 9, 9, 1000]])} />, root);
    expect(bars(root)).toEqual([["bar-fill bar-accent", "100%"], ["bar-fill bar-accent", "25%"]]);
    const cells = [...root.querySelectorAll("tbody tr")].map((r) => [...r.children].map((c) => c.textContent));
    expect(cells[1]).toEqual(["none", "9", "9", "1000 B"]);
    expect(measure("count")({ value: "", total: 1, stored: 2, size: 3 })).toBe(1);
    expect(measure("stored")({ value: "", total: 1, stored: 2, size: 3 })).toBe(2);
  });
  it("colour and name the actions of an action report, and survive all zeros", () => {
    const root = document.createElement("div");
    render(<TopTable report={report("action", "stored", [["reject", 5, 0, 10], ["add header", 2, 0, 10]])} />, root);
    expect(bars(root)).toEqual([["bar-fill row-reject", "0%"], ["bar-fill row-spam", "0%"]]);
    expect(root.querySelector("td.bar-cell")!.textContent).toBe("Rejected");
  });
  it("keep hostile values as text", () => {
    const root = document.createElement("div");
    render(<TopTable report={report("mail_from", "count", [['<img src=x onerror="window.__pwned=1">', 1, 0, 0]])} />, root);
    expect(root.querySelector("img")).toBeNull();
    expect(root.querySelector("td.bar-cell")!.textContent).toContain("<img");
  });
});
