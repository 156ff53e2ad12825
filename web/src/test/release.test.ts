import { describe, expect, it } from "vitest";
import { mapPageUrl, ownRecipients, parseAddresses, quickMapLinks, releaseBody } from "../lib/release";

const alice = { is_admin: false, addresses: ["alice@example.org", "ali@example.org"], admin_domains: [] as string[] };
const admin = { is_admin: true, addresses: ["admin@example.org"], admin_domains: [] as string[] };
const mail = { rcpt_to: ["Alice@Example.org", "bob@example.org", "x@team.example"], mail_from: "spam@bad.example", ip: "192.0.2.7" };

describe("release", () => {
  it("offers a user only their own recipients, an admin all", () => {
    expect(ownRecipients(mail, alice)).toEqual(["Alice@Example.org"]);
    expect(ownRecipients(mail, { ...alice, admin_domains: ["TEAM.example"] })).toEqual(["Alice@Example.org", "x@team.example"]);
    expect(ownRecipients(mail, admin)).toEqual(mail.rcpt_to);
    expect(ownRecipients({ rcpt_to: [] }, alice)).toEqual([]);
  });
  it("parses other addresses, without duplicates or blanks", () => {
    expect(parseAddresses(" a@x.org,\nb@y.org  A@X.org;;\n")).toEqual(["a@x.org", "b@y.org"]);
    expect(parseAddresses("   ")).toEqual([]);
  });
  it("sends every ticked recipient as to_original, a subset as alternates", () => {
    expect(releaseBody(["a@x", "b@x"], ["b@x", "a@x"], [])).toEqual({ to_original: true, alternates: [] });
    expect(releaseBody(["a@x", "b@x"], ["b@x"], ["c@y"])).toEqual({ to_original: false, alternates: ["b@x", "c@y"] });
    expect(releaseBody([], [], ["c@y", "c@y"])).toEqual({ to_original: false, alternates: ["c@y"] });
    expect(releaseBody(["a@x"], [], [])).toEqual({ to_original: false, alternates: [] });
  });
});

describe("quick map links", () => {
  it("gives administrators sender, domain, IP and sender+recipient", () => {
    const l = quickMapLinks(mail, admin);
    expect(l.map((x) => [x.what, x.block, x.line])).toEqual([
      ["sender", "smtp_from_block", "spam@bad.example"],
      ["domain", "sender_domain_block", "bad.example"],
      ["ip", "ip_block", "192.0.2.7"],
      ["senderRcpt", "smtp_from_rcpt_block", "spam@bad.example Alice@Example.org"],
      ["senderRcpt", "smtp_from_rcpt_block", "spam@bad.example bob@example.org"],
      ["senderRcpt", "smtp_from_rcpt_block", "spam@bad.example x@team.example"],
    ]);
  });
  it("gives users only their personal maps for their own addresses", () => {
    const l = quickMapLinks(mail, alice);
    expect(l).toEqual([{ what: "senderRcpt", rcpt: "Alice@Example.org", line: "spam@bad.example Alice@Example.org",
      allow: "personal_smtp_from_rcpt_allow", block: "personal_smtp_from_rcpt_block" }]);
    expect(quickMapLinks({ ...mail, mail_from: "" }, alice)).toEqual([]);
  });
  it("builds page URLs that survive hostile values", () => {
    expect(mapPageUrl("ip_block", "a b&c=<x>")).toBe("/map-lists?name=ip_block&add=a%20b%26c%3D%3Cx%3E");
    expect(new URLSearchParams(mapPageUrl("x", "a b&c").split("?")[1]).get("add")).toBe("a b&c");
    expect(mapPageUrl("ip_block")).toBe("/map-lists?name=ip_block");
  });
});
