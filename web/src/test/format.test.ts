import { describe, expect, it } from "vitest";
import { query } from "../lib/api";
import { formatSize, rowClass, scoreClass, sortSymbols } from "../lib/format";

describe("format", () => {
  it("colours rows by action, virus first", () => {
    expect(rowClass({ action: "reject", has_virus: false })).toBe("row-reject");
    expect(rowClass({ action: "no action", has_virus: false })).toBe("row-clean");
    expect(rowClass({ action: "add header", has_virus: false })).toBe("row-spam");
    expect(rowClass({ action: "no action", has_virus: true })).toBe("row-virus");
    expect(rowClass({ action: "custom", has_virus: false })).toBe("row-other");
  });
  it("sorts symbols by weight and colours by sign", () => {
    const s = sortSymbols([{ name: "A", score: 1 }, { name: "B", score: -4 }, { name: "C", score: 9 }, { name: "D", score: 0 }]);
    expect(s.map((x) => x.name)).toEqual(["C", "B", "A", "D"]);
    expect(scoreClass(9)).toBe("score-high");
    expect(scoreClass(1)).toBe("score-pos");
    expect(scoreClass(-4)).toBe("score-neg");
    expect(scoreClass(0)).toBe("score-zero");
  });
  it("formats sizes", () => {
    expect(formatSize(500)).toBe("500 B");
    expect(formatSize(2048)).toBe("2.0 KiB");
    expect(formatSize(3 * 1024 * 1024)).toBe("3.0 MiB");
  });
  it("builds query strings with repeated keys and no empties", () => {
    expect(query([["filter", "a:eq:1"], ["filter", "b:eq:&"], ["day", ""], ["before", undefined]]))
      .toBe("?filter=a%3Aeq%3A1&filter=b%3Aeq%3A%26");
    expect(query([])).toBe("");
  });
});
