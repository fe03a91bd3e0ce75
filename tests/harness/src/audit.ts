/**
 * The API server's audit log, read back to count requests server-side: every request any client
 * made (our kube client, helm, kubectl), with its verb, resource, user agent and dry-run flag.
 * Tests use it for "a no-op redeploy makes zero writes"; benchmarks for request counts.
 */
import { readFile } from 'node:fs/promises';

/** Metadata for every request, one event per request (ResponseComplete only). */
export const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived, ResponseStarted, Panic]
rules:
  - level: Metadata
`;

export interface AuditEvent {
  readonly verb: string;
  readonly requestURI: string;
  readonly userAgent?: string;
  readonly objectRef?: { readonly resource?: string; readonly namespace?: string; readonly name?: string; readonly apiGroup?: string; readonly subresource?: string };
  readonly responseStatus?: { readonly code?: number };
  readonly requestReceivedTimestamp: string;
}

const MUTATING = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/**
 * Clients that are not the tool under test: the control plane's own, and the in-cluster components
 * the harness runs as processes in place of their pods (k8s-digester's cert rotator; controller-
 * runtime names its user agent after the binary).
 */
const SYSTEM_AGENTS = /^(kube-controller-manager|kube-scheduler|kwok|kube-apiserver|k8s-digester)\//;

/** Pure: is this a request that persisted a change, made by a client other than the control plane. */
export function isClientWrite(e: AuditEvent): boolean {
  if (!MUTATING.has(e.verb)) return false;
  if (SYSTEM_AGENTS.test(e.userAgent ?? '')) return false;
  if (/[?&]dryRun=All/.test(e.requestURI)) return false;
  // Access and token reviews are answers, not stored objects.
  if (/(selfsubjectaccessreviews|subjectaccessreviews|selfsubjectreviews|tokenreviews)$/.test(e.objectRef?.resource ?? '')) return false;
  return true;
}

export const isClientRequest = (e: AuditEvent): boolean => !SYSTEM_AGENTS.test(e.userAgent ?? '');

/** Reads the events logged since `sinceLine` (use `auditMark` to get a mark before an action). */
export async function auditEvents(path: string, sinceLine = 0): Promise<AuditEvent[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .slice(sinceLine)
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as AuditEvent);
}

export async function auditMark(path: string): Promise<number> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').length - 1;
}
