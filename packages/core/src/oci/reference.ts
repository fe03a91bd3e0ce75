/**
 * Image and artifact references: `[registry/]repository[:tag][@sha256:…]`, with Docker Hub's
 * defaults (docker.io → registry-1.docker.io, single names under library/), and `oci://` prefixes.
 */

export interface Reference {
  /** Host[:port] used for API calls, e.g. registry-1.docker.io, ghcr.io, 127.0.0.1:5000. */
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

const DOCKER_HUB = 'registry-1.docker.io';

export function parseReference(input: string): Reference {
  let s = input.replace(/^oci:\/\//, '');
  let digest: string | undefined;
  const at = s.indexOf('@');
  if (at !== -1) {
    digest = s.slice(at + 1);
    s = s.slice(0, at);
    if (!/^sha256:[a-f0-9]{64}$/.test(digest)) throw new Error(`invalid digest in reference ${input}`);
  }
  let tag: string | undefined;
  const lastSlash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = s.slice(colon + 1);
    s = s.slice(0, colon);
  }
  const first = s.split('/')[0]!;
  let registry: string;
  let repository: string;
  if (s.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    repository = s.slice(first.length + 1);
  } else {
    registry = DOCKER_HUB;
    repository = s.includes('/') ? s : `library/${s}`;
  }
  if (registry === 'docker.io' || registry === 'index.docker.io') registry = DOCKER_HUB;
  if (!repository || !/^[a-z0-9]+([._/-][a-z0-9]+)*$/.test(repository)) throw new Error(`invalid repository in reference ${input}`);
  if (!tag && !digest) tag = 'latest';
  return { registry, repository, tag, digest };
}

/** The canonical text form: registry/repository[:tag][@digest]. */
export function formatReference(r: Reference): string {
  return `${r.registry}/${r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

/** Key for "one request per unique ref": registry, repository and tag (or digest). */
export const refKey = (r: Reference): string => `${r.registry}/${r.repository}${r.tag ? `:${r.tag}` : `@${r.digest}`}`;
