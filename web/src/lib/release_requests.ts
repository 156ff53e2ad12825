// What the release dialog offers a user in request mode, and what the
// requests page offers whom: kept apart from the components for unit tests.
import type { MailDetail, Me, ReleaseRequest } from "./types";

// What the detail page's release button does for this person and mail.
export type ReleaseOffer = "release" | "request" | "pending" | "none";

export function releaseOffer(mail: Pick<MailDetail, "content_available" | "release_mode" | "release_request">): ReleaseOffer {
  if (!mail.content_available) return "none";
  if (mail.release_request && mail.release_request.state === "pending") return "pending";
  switch (mail.release_mode ?? "direct") {
    case "off": return "none";
    case "request": return "request";
    default: return "release";
  }
}

// The server's limit of a comment or reason, in UTF-8 bytes.
export const MAX_REQUEST_TEXT = 1000;

// Line feeds and tabs are fine; other control characters are refused by the
// server, so they are dropped as typed (pasted text often carries CRs).
export function cleanRequestText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
}

export function requestTextTooLong(text: string): boolean {
  return new TextEncoder().encode(text).length > MAX_REQUEST_TEXT;
}

// Who may do what with a request on the list.
export function canDecide(r: Pick<ReleaseRequest, "state">, me: Pick<Me, "is_admin">): boolean {
  return me.is_admin && r.state === "pending";
}
export function canCancel(r: Pick<ReleaseRequest, "state" | "requester">, me: Pick<Me, "username">): boolean {
  return r.state === "pending" && r.requester === me.username;
}
