// The count of pending release requests for the administrators' badge,
// asked again on each page change (a decision elsewhere changes it).
import { useEffect, useState } from "preact/hooks";
import { api } from "./api";
import type { ReleaseRequestPage } from "./types";

export function usePendingRequests(isAdmin: boolean, page: string): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (!isAdmin) return;
    api<ReleaseRequestPage>("GET", "/api/v1/release-requests?state=pending&limit=1")
      .then((p) => setCount(p.pending_count ?? 0), () => setCount(0));
  }, [isAdmin, page]);
  return count;
}
