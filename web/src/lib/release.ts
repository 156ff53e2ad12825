// What the release dialog and the quick map links offer, from the mail and
// the person: kept apart from the components so that it is unit-tested.
import type { Mail, Me } from "./types";

const lower = (s: string) => s.trim().toLowerCase();
const domainOf = (addr: string) => lower(addr.slice(addr.lastIndexOf("@") + 1));

// The server releases a user's mail only to the original recipients that are
// theirs (address, aliases, admin domains); offering the others would only
// earn a 403, and would show a co-recipient's address.
export function ownRecipients(mail: Pick<Mail, "rcpt_to">, me: Pick<Me, "is_admin" | "addresses" | "admin_domains">): string[] {
  if (me.is_admin) return [...mail.rcpt_to];
  const mine = new Set(me.addresses.map(lower));
  const domains = new Set(me.admin_domains.map(lower));
  return mail.rcpt_to.filter((r) => mine.has(lower(r)) || domains.has(domainOf(r)));
}

// Other addresses as typed: one per line or comma/space separated, no duplicates.
export function parseAddresses(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const a of text.split(/[\s,;]+/)) {
    if (a && !seen.has(lower(a))) { seen.add(lower(a)); out.push(a); }
  }
  return out;
}

// The request body: every offered recipient ticked is to_original; a subset
// goes as alternates (the same addresses, so the same permission check).
export function releaseBody(offered: string[], ticked: string[], others: string[]):
    { to_original: boolean; alternates: string[] } {
  const all = offered.length > 0 && offered.every((r) => ticked.includes(r));
  const alternates = [...(all ? [] : ticked), ...others];
  return { to_original: all, alternates: parseAddresses(alternates.join("\n")) };
}

export interface QuickMapLink { what: string; rcpt?: string; allow: string; block: string; line: string }

// "Add to map" shortcuts of a mail. Administrators get the global maps;
// users only their personal sender+recipient maps, for their own recipients.
export function quickMapLinks(mail: Pick<Mail, "mail_from" | "rcpt_to" | "ip">,
                              me: Pick<Me, "is_admin" | "addresses" | "admin_domains">): QuickMapLink[] {
  const from = mail.mail_from.trim();
  const out: QuickMapLink[] = [];
  if (me.is_admin) {
    if (from) {
      out.push({ what: "sender", allow: "smtp_from_allow", block: "smtp_from_block", line: from });
      if (from.includes("@")) out.push({ what: "domain", allow: "sender_domain_allow", block: "sender_domain_block", line: domainOf(from) });
    }
    if (mail.ip) out.push({ what: "ip", allow: "ip_allow", block: "ip_block", line: mail.ip });
  }
  if (from) {
    const personal = !me.is_admin;
    for (const r of ownRecipients(mail, me)) {
      out.push({ what: "senderRcpt", rcpt: r, line: `${from} ${r}`,
                 allow: personal ? "personal_smtp_from_rcpt_allow" : "smtp_from_rcpt_allow",
                 block: personal ? "personal_smtp_from_rcpt_block" : "smtp_from_rcpt_block" });
    }
  }
  return out;
}

export const mapPageUrl = (name: string, add?: string) =>
  `/map-lists?name=${encodeURIComponent(name)}${add ? `&add=${encodeURIComponent(add)}` : ""}`;
