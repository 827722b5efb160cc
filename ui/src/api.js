// The aggregator's HTTP API: Prometheus' JSON envelope ({status, data, error, warnings}).

/** An API call that failed: the server's error text, or the HTTP status. */
export class ApiError extends Error {}

async function decode(resp) {
  let body;
  try {
    body = await resp.json();
  } catch {
    throw new ApiError(`${resp.status} ${resp.statusText}`);
  }
  if (body.status !== 'success') throw new ApiError(body.error || `${resp.status} ${resp.statusText}`);
  return body;
}

/** GET `path` with query parameters; returns the whole envelope. */
export async function get(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  return decode(await fetch(url));
}

/** POST a form (queries can be longer than a URL may be); returns the whole envelope. */
export async function post(path, params = {}) {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') form.set(k, v);
  const resp = await fetch(new URL(path, location.origin), { method: 'POST', body: form });
  return decode(resp);
}

/** GET a plain JSON document (Alertmanager's API v2 has no envelope). */
export async function getJSON(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  const resp = await fetch(url);
  if (!resp.ok) throw new ApiError(`${resp.status} ${(await resp.text()).trim() || resp.statusText}`);
  return resp.json();
}
