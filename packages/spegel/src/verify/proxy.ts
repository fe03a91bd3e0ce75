/**
 * Pure: what an API-server pod-proxy answer means. When the API server cannot dial the pod (no
 * route to pod IPs from the control plane, as on simulated kwok nodes or some managed control
 * planes), it answers 502/503 with the dial error in the body; that is an environment limit, not a
 * Spegel fault, and is reported as such with the network reason.
 */

export type ProxyOutcome =
  | { readonly kind: 'ok'; readonly body: string }
  | { readonly kind: 'http-error'; readonly status: number; readonly detail: string }
  | { readonly kind: 'refused'; readonly detail: string }
  | { readonly kind: 'unreachable'; readonly detail: string };

const UNREACHABLE = /(network is unreachable|no route to host|i\/o timeout|context deadline exceeded|ENETUNREACH|EHOSTUNREACH|ETIMEDOUT)/i;
const REFUSED = /(connection refused|ECONNREFUSED)/i;

function statusMessage(body: string): string {
  try {
    const s = JSON.parse(body) as { message?: string };
    if (typeof s.message === 'string') return s.message;
  } catch {
    /* plain text */
  }
  return body.trim().split('\n')[0]!.slice(0, 200);
}

/** The `dial tcp …: connect: …` part of an error, or the whole first line. */
export function networkReason(message: string): string {
  return /dial tcp [^\s]+: (?:connect: )?[^"\n]+/.exec(message)?.[0] ?? message.split('\n')[0]!.slice(0, 200);
}

export function classifyProxy(res: { status: number; body: string } | { error: Error }): ProxyOutcome {
  if ('error' in res) {
    const m = `${res.error.message} ${(res.error as { code?: string }).code ?? ''}`;
    if (REFUSED.test(m)) return { kind: 'refused', detail: networkReason(m) };
    return { kind: 'unreachable', detail: networkReason(m) };
  }
  if (res.status === 200) return { kind: 'ok', body: res.body };
  const msg = statusMessage(res.body);
  if (res.status === 502 || res.status === 503) {
    if (UNREACHABLE.test(msg)) return { kind: 'unreachable', detail: networkReason(msg) };
    if (REFUSED.test(msg)) return { kind: 'refused', detail: networkReason(msg) };
  }
  return { kind: 'http-error', status: res.status, detail: msg };
}
