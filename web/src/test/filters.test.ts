import { describe, expect, it } from "vitest";
import { checkFilter, deleteSaved, FIELDS, filterParam, loadSaved, opsFor, parseFilterParam, saveFilters } from "../lib/filters";

describe("filters", () => {
  it("offers every field of the API with its operators", () => {
    const names = FIELDS.map((f) => f.name);
    for (const f of ["date", "subject", "action", "score", "stored", "ip", "mail_from", "rcpt_to", "mime_from",
      "mime_to", "has_virus", "size", "headers", "symbols", "released", "notified", "notification_pending",
      "server", "country", "symbol", "symbol."]) expect(names).toContain(f);
    expect(opsFor("subject")).toHaveLength(10);
    expect(opsFor("score")).toEqual(["eq", "ne", "gt", "ge", "lt", "le"]);
    expect(opsFor("stored")).toEqual(["eq", "ne"]);
    expect(opsFor("symbol")).not.toContain("gt");
  });

  it("checks values by kind", () => {
    expect(checkFilter({ field: "subject", op: "contains", value: "x" })).toBeNull();
    expect(checkFilter({ field: "subject", op: "contains", value: " " })).not.toBeNull();
    expect(checkFilter({ field: "score", op: "ge", value: "5.5" })).toBeNull();
    expect(checkFilter({ field: "score", op: "ge", value: "five" })).not.toBeNull();
    expect(checkFilter({ field: "size", op: "gt", value: "1.5" })).not.toBeNull();
    expect(checkFilter({ field: "date", op: "eq", value: "2026-12-04" })).toBeNull();
    expect(checkFilter({ field: "date", op: "eq", value: "04.12.2026" })).not.toBeNull();
    expect(checkFilter({ field: "stored", op: "eq", value: "1" })).toBeNull();
    expect(checkFilter({ field: "stored", op: "eq", value: "yes" })).not.toBeNull();
    expect(checkFilter({ field: "stored", op: "contains", value: "1" })).not.toBeNull();
    expect(checkFilter({ field: "subject", op: "eq", value: "é".repeat(129) })).not.toBeNull();
    expect(checkFilter({ field: "symbol.", symbol: "BAYES_SPAM", op: "ge", value: "3" })).toBeNull();
    expect(checkFilter({ field: "symbol.", symbol: "a:b", op: "ge", value: "3" })).not.toBeNull();
  });

  it("round-trips through the URL form, values with colons included", () => {
    const f = { field: "subject", op: "contains", value: "re: a:b" };
    expect(filterParam(f)).toBe("subject:contains:re: a:b");
    expect(parseFilterParam(filterParam(f))).toEqual(f);
    const s = { field: "symbol.", symbol: "BAYES_SPAM", op: "ge", value: "3" };
    expect(filterParam(s)).toBe("symbol.BAYES_SPAM:ge:3");
    expect(parseFilterParam("symbol.BAYES_SPAM:ge:3")).toEqual(s);
    expect(parseFilterParam("nonsense")).toBeNull();
    expect(parseFilterParam("evil:eq:1")).toBeNull();
  });

  it("keeps saved filters in storage and survives junk", () => {
    localStorage.clear();
    expect(loadSaved()).toEqual({});
    saveFilters("spam", [{ field: "score", op: "ge", value: "10" }]);
    expect(loadSaved().spam).toHaveLength(1);
    deleteSaved("spam");
    expect(loadSaved()).toEqual({});
    localStorage.setItem("rqwatch.savedFilters", "{broken");
    expect(loadSaved()).toEqual({});
    localStorage.setItem("rqwatch.savedFilters", "[1,2]");
    expect(loadSaved()).toEqual({});
  });
});
