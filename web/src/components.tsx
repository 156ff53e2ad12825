// Small shared pieces: error and empty states in words, a status line.
import type { ComponentChildren } from "preact";
import { t } from "./i18n";
import { errorText } from "./lib/api";

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div class="error" role="alert">
      <span>{errorText(error)}</span>
      {onRetry && <button type="button" onClick={onRetry}>{t.retry}</button>}
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

export function Loading() {
  return <p class="loading" aria-live="polite">{t.loading}</p>;
}

export function Notice({ text }: { text: string }) {
  return text ? <p class="notice" role="status">{text}</p> : null;
}
