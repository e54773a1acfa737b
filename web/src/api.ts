/** Calls to the inspector API (same origin). A non-2xx answer becomes an Error with the API's own message. */

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return answer<T>(await fetch(path, { signal, headers: { Accept: 'application/json' } }));
}

export async function sendJson<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'Content-Type': 'application/json' };
  }
  return answer<T>(await fetch(path, init));
}

async function answer<T>(res: Response): Promise<T> {
  const text = await res.text();
  let value: unknown = null;
  try {
    value = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: said below
  }
  if (!res.ok) {
    const message = value && typeof value === 'object' && 'error' in value ? String((value as { error: unknown }).error) : `${res.status} ${res.statusText}`;
    throw new Error(message);
  }
  return value as T;
}

/** Query string from the set values only. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
