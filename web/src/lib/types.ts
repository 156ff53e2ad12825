// Shapes of the JSON API (docs/api/openapi.yaml), as far as the UI reads them.
export interface Symbol { name: string; score: number; group?: string; groups?: string[]; options?: string[] }
export interface Address { name: string; address: string }
export interface Mail {
  id: number; received_at: number; server: string; qid: string; action: string; score: number;
  ip: string; mail_from: string; rcpt_to: string[]; recipients: string[]; subject: string;
  mime_from: string; mime_from_addr: string; mime_to: Address[]; message_id: string; size: number;
  has_virus: boolean; virus: string; country: string; stored: boolean; purged: boolean;
  symbols: Symbol[]; scan_time_ms: number; released: boolean; notified: boolean;
  attachments: { filename: string; content_type: string; size: number }[];
}
export interface Host { ip: string; country: string; rdns: string | null }
export interface MailDetail extends Mail {
  headers: { name: string; value: string }[];
  sender: Host | null;
  relays: Host[];
  content_available: boolean;
  releases?: ReleaseRecord[];
  learned_as?: "spam" | "ham" | null;
  learns?: LearnRecord[];
  release_request?: ReleaseRequest | null;
  release_mode?: ReleaseMode;
}
export type ReleaseMode = "direct" | "request" | "off";
export type RequestState = "pending" | "approved" | "refused" | "cancelled";
export interface ReleaseRequest {
  id: number; mail_id: number; requester: string; recipients: string[]; comment: string;
  state: RequestState; created_at: number; decided_by: string; decided_at: number | null;
  reason: string; subject: string; mail_from: string;
}
export interface ReleaseRequestPage extends Page<ReleaseRequest> { mode: ReleaseMode; pending_count?: number }
export interface ReleaseRecord { at: number; by: string; to: string; mode: string; ok: boolean; result?: string }
export interface LearnFuzzy { status: "ok" | "failed" | "skipped"; message: string }
export interface LearnRecord {
  at: number; by: string; as: "spam" | "ham"; node: string; ok: boolean; result: string; fuzzy?: LearnFuzzy;
}
export interface BulkResult {
  id: number; ok: boolean; deleted?: boolean; delivered_to?: string[]; learned_as?: string;
  node?: string; already_learned?: boolean; fuzzy?: LearnFuzzy; error?: string; message?: string;
  requested?: boolean;
}
export interface MapInfo {
  name: string; scope: "basic" | "combined" | "personal" | "custom"; field: string; recipient: boolean;
  kind: "allow" | "block" | "custom"; description: string; builtin: boolean; url: string;
  changed_at: number; entries?: number;
}
export interface MapEntry {
  id: number; line: string; value: string; recipient: string | null; enabled: boolean; comment: string;
  expires_at: number | null; personal: boolean; created_by: string | null; created_at: number; updated_at: number;
}
export interface MapAddResult { added: number; ids: number[]; errors: { line: number; message: string }[] }
export interface RspamdNode {
  node: string; ok: boolean; error: string | null; fetched_at: number | null; version?: string;
  uptime?: number; scanned?: number; learned?: number; actions?: Record<string, number>;
}
export interface MailBody {
  text: string | null; text_truncated: boolean; html: boolean; html_truncated: boolean;
  remote_content: boolean;
  attachments: { index: number; filename: string; content_type: string; size: number }[];
}
export interface Page<T> { items: T[]; next_before: number | null }
export interface Me extends NotifySchedule {
  id: number; username: string; email: string; first_name: string; last_name: string;
  is_admin: boolean; admin_domains: string[]; provider: string; notifications_disabled: boolean;
  totp_enabled: boolean; addresses: string[]; csrf_token: string; impersonated_by: string | null;
}
export interface User {
  id: number; username: string; email: string; first_name: string; last_name: string;
  is_admin: boolean; admin_domains: string[]; provider: string; totp_enabled: boolean;
  notifications_disabled: boolean; created_at: number; last_login: number | null;
}
export interface UserDetail extends User { aliases: Alias[] }
export interface Alias { id: number; user_id: number; alias: string; created_at: number; updated_at: number }
export interface AuditEntry {
  id: number; at: number; actor: string; on_behalf_of?: string; ip: string; action: string;
  target: string; detail: string;
}
export interface ApiToken {
  id: number; name: string; prefix: string; created_at: number; last_used_at: number | null;
  expires_at: number | null; token?: string;
}
export interface Counted { count: number; percent: number }
export interface Stats {
  total: number; stored: Counted; notified: Counted; released: Counted; virus: Counted;
  actions: (Counted & { action: string })[]; oldest: number | null; newest: number | null;
}
export interface Report {
  field: string; mode: string;
  // actions: with split=action (date report), the day's mails per action.
  rows: { value: string; total: number; stored: number; size: number; actions?: Record<string, number> }[];
  totals: { total: number; stored: number; size: number };
}

// When a user's digests go ("" / null: the server's notify.default_*).
export interface NotifySchedule {
  notify_frequency: "" | "immediate" | "hourly" | "daily" | "weekly";
  notify_hour: number | null;
  time_zone: string;
}
