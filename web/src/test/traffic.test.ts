import { describe, expect, it } from "vitest";
import { actionClass, actionColourVar, formatDay, orderActions } from "../lib/format";
import { dayRange, dayTicks, lastDays, stackFromTop, trafficSeries, type TrafficRow } from "../lib/traffic";

describe("traffic per day by action", () => {
  it("turns the API's rows (newest first, gaps left out) into aligned, zero-filled series", () => {
    const rows: TrafficRow[] = [
      { value: "2026-11-22", stored: 1, actions: { "no action": 1, "add header": 1 } },
      { value: "2026-11-20", stored: 2, actions: { reject: 2 } },
    ];
    const s = trafficSeries(rows, "2026-11-19", "2026-11-23");
    expect(s.days).toEqual(["2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]);
    expect(s.actions).toEqual(["reject", "add header", "no action"]);
    expect(s.counts).toEqual([[0, 2, 0, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 1, 0]]);
    expect(s.stored).toEqual([0, 2, 0, 1, 0]);
  });
  it("keeps a row newer than the range's end and survives rows without a split", () => {
    const s = trafficSeries([{ value: "2026-11-25", stored: 0 }], "2026-11-23", "2026-11-24");
    expect(s.days).toEqual(["2026-11-23", "2026-11-24", "2026-11-25"]);
    expect(s.actions).toEqual([]);
    expect(s.stored).toEqual([0, 0, 0]);
    expect(trafficSeries([], "2026-11-23", "2026-11-23").days).toEqual(["2026-11-23"]);
  });
  it("counts days in UTC, across a month's end, and refuses nonsense", () => {
    expect(lastDays(3, Date.parse("2026-12-01T23:59:59Z"))).toEqual({ first: "2026-11-29", last: "2026-12-01" });
    expect(lastDays(1, Date.parse("2026-12-01T00:00:00Z"))).toEqual({ first: "2026-12-01", last: "2026-12-01" });
    expect(dayRange("2026-02-27", "2026-03-01")).toEqual(["2026-02-27", "2026-02-28", "2026-03-01"]);
    expect(dayRange("2026-03-01", "2026-02-27")).toEqual([]);
    expect(dayRange("x", "2026-02-27")).toEqual([]);
  });
  it("stacks from the top: each series covers the ones after it", () => {
    expect(stackFromTop([[1, 0], [2, 3], [4, 0]])).toEqual([[7, 3], [6, 3], [4, 0]]);
    expect(stackFromTop([])).toEqual([]);
  });
  it("labels days only, the newest always, as many as fit", () => {
    expect(dayTicks(3, 800)).toEqual([0, 1, 2]);
    expect(dayTicks(2, 20)).toEqual([1]);
    expect(dayTicks(31, 300)).toEqual([2, 9, 16, 23, 30]); // 5 fit: every 7th day back from the newest
    expect(dayTicks(0, 300)).toEqual([]);
  });
});

describe("action colours", () => {
  it("come from the row classes, one palette for rows, bars and charts", () => {
    expect(actionClass("reject")).toBe("row-reject");
    expect(actionClass("soft reject")).toBe("row-softreject");
    expect(actionClass("made up")).toBe("row-other");
    expect(actionColourVar("no action")).toBe("--row-clean");
    expect(actionColourVar("greylist")).toBe("--row-greylist");
  });
  it("are listed in the legend's order, unknown actions last", () => {
    expect(orderActions(["no action", "zzz", "reject", "aaa", "reject"])).toEqual(["reject", "no action", "aaa", "zzz"]);
  });
  it("name days without hours", () => {
    expect(formatDay("2026-11-20")).toMatch(/20/);
    expect(formatDay("2026-11-20")).not.toMatch(/:/);
    expect(formatDay("junk")).toBe("junk");
  });
});
