// The banner of a "login as" session: whose account this is, and the way
// back to the administrator's own (POST /api/v1/session/return).
import { useState } from "preact/hooks";
import { ErrorBox } from "./components";
import { t } from "./i18n";
import { api } from "./lib/api";
import { navigate } from "./lib/router";
import type { Me } from "./lib/types";

export function ActingAsBanner({ me, setMe }: { me: Me; setMe: (m: Me) => void }) {
  const [error, setError] = useState<unknown>(null);
  if (!me.impersonated_by) return null;
  const back = async () => {
    try {
      const admin = await api<Me>("POST", "/api/v1/session/return");
      setMe(admin);
      navigate(`/users?id=${me.id}`);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div class="acting-as" role="region" aria-label={t.manage.loginAs}>
      <span>{t.manage.actingAs(me.username, me.impersonated_by)}</span>
      <button type="button" onClick={back}>{t.manage.returnToSelf}</button>
      <ErrorBox error={error} />
    </div>
  );
}
