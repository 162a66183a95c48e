/** A minimal HTTP client for replaying recorded requests byte-for-byte (no driver normalisation). */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

export async function call(
  baseUrl: string,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const payload =
    body === undefined || body === null ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(baseUrl + url, { method, body: payload, headers });
  const text = await res.text();
  let parsed: unknown = null;
  if (text.length > 0 && (res.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
  else if (text.length > 0) parsed = text;
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** Like `call`, but fails loudly: setup steps must succeed. */
export async function must(baseUrl: string, method: string, url: string, body?: unknown): Promise<Answer> {
  const a = await call(baseUrl, method, url, body);
  if (a.status >= 400) throw new Error(`setup ${method} ${url} failed: ${a.status} ${a.text.slice(0, 300)}`);
  return a;
}
