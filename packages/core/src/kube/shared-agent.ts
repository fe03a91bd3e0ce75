/**
 * One keep-alive HTTPS agent per kubeconfig identity, instead of client-node's one agent per
 * request. client-node 1.x builds a new `https.Agent` for every call (KubeConfig.createAgent), so
 * every request paid a new TCP connection, a new TLS secure context (parsing the CA, client cert
 * and key: about 1 ms of CPU each time) and a full TLS handshake on both ends. Profiled on a fresh
 * full deploy (~250 API requests): about 0.45 s of the tool's CPU went to secure contexts and
 * handshakes, and the API server spent its share on the other side.
 *
 * The agent is keyed by everything that selects the TLS identity (server, CA, client cert and key,
 * servername, verification), so a credential plugin that hands out a new client certificate gets a
 * new agent, and each agent parses its credentials once, for all of its sockets. Proxied clusters keep client-node's own agents. Idle sockets do not keep the process
 * alive (Node unrefs free keep-alive sockets); `destroy()` closes them at once.
 */
import { createHash } from 'node:crypto';
import https from 'node:https';
import tls from 'node:tls';
import type { Cluster, KubeConfig } from '@kubernetes/client-node';

type AgentOptions = https.AgentOptions;
/** KubeConfig.createAgent: public in the JavaScript, private in the typings. */
type CreateAgent = (cluster: Cluster | null, options: AgentOptions) => https.Agent | import('node:http').Agent;

const IDENTITY_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'servername', 'rejectUnauthorized'] as const;

function identity(server: string, o: AgentOptions): string {
  const h = createHash('sha256').update(server);
  for (const f of IDENTITY_FIELDS) {
    const v = (o as Record<string, unknown>)[f];
    h.update(`\0${f}=`);
    if (v === undefined) continue;
    if (typeof v === 'string' || Buffer.isBuffer(v)) h.update(v);
    else h.update(JSON.stringify(v));
  }
  return h.digest('hex');
}

function secureContextFor(o: AgentOptions): tls.SecureContext | undefined {
  try {
    return tls.createSecureContext({ ca: o.ca, cert: o.cert, key: o.key, pfx: o.pfx, passphrase: o.passphrase });
  } catch {
    return undefined;
  }
}

export interface SharedAgents {
  /** How many distinct agents were made (one per TLS identity). */
  readonly created: () => number;
  /** Closes every pooled socket. */
  destroy(): void;
}

/** Makes `kc` hand out shared keep-alive agents. Returns a handle to close them. */
export function shareAgents(kc: KubeConfig): SharedAgents {
  const target = kc as unknown as { createAgent: CreateAgent };
  const original = target.createAgent.bind(kc);
  const agents = new Map<string, https.Agent>();
  target.createAgent = (cluster, options) => {
    if (!cluster?.server?.startsWith('https:') || cluster.proxyUrl) return original(cluster, options);
    const key = identity(cluster.server, options);
    let agent = agents.get(key);
    if (!agent) {
      // One secure context for all of the agent's sockets: without it, every new socket (several
      // open at once when requests run concurrently) parses the CA, cert and key again.
      // Credentials it cannot parse fail at connect, with the same error as before.
      agent = new https.Agent({ ...options, secureContext: secureContextFor(options), keepAlive: true });
      agents.set(key, agent);
    }
    return agent;
  };
  return {
    created: () => agents.size,
    destroy() {
      for (const a of agents.values()) a.destroy();
      agents.clear();
    },
  };
}
