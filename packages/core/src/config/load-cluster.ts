/**
 * Loading a cluster file from disk: by name (`parma` → clusters/parma.yaml) or by path. The only
 * IO is the injected `readFile`; everything else is parsing and validation.
 */
import { parseAllDocuments } from 'yaml';
import { ConfigError, type ConfigIssue } from '../errors.ts';
import type { ClusterConfig } from './cluster-config.ts';
import { parseClusterConfig } from './cluster-schema.ts';

export interface ClusterFileIO {
  readFile(path: string): Promise<string>;
  listClusters(dir: string): Promise<string[]>;
}

/** Resolves `--cluster` to a file path: a bare name maps to `<dir>/<name>.yaml`. */
export function clusterFilePath(nameOrPath: string, dir: string): string {
  if (nameOrPath.includes('/') || nameOrPath.endsWith('.yaml') || nameOrPath.endsWith('.yml')) return nameOrPath;
  return `${dir}/${nameOrPath}.yaml`;
}

/** Parses YAML text into one document, reporting syntax errors as config issues. */
export function parseYamlDocument(text: string, file: string): { value?: unknown; issues: ConfigIssue[] } {
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  if (!Array.isArray(docs)) return { issues: [{ file, path: '(top level)', message: 'is empty', fix: 'write the cluster definition, see clusters/theia-prod.yaml' }] };
  const issues: ConfigIssue[] = [];
  for (const d of docs) {
    for (const e of d.errors) {
      const pos = e.linePos?.[0];
      issues.push({ file, path: pos ? `line ${pos.line}, column ${pos.col}` : '(yaml)', message: `YAML syntax error: ${e.message.split('\n')[0]}`, fix: 'correct the YAML syntax (indentation, quotes, duplicate keys)' });
    }
  }
  const values = docs.filter((d) => d.contents !== null).map((d) => d.toJS());
  if (issues.length > 0) return { issues };
  if (values.length !== 1) {
    return { issues: [{ file, path: '(top level)', message: values.length === 0 ? 'is empty' : `has ${values.length} YAML documents`, fix: 'keep exactly one cluster definition per file' }] };
  }
  return { value: values[0], issues: [] };
}

export async function loadClusterFile(nameOrPath: string, dir: string, io: ClusterFileIO): Promise<ClusterConfig> {
  const file = clusterFilePath(nameOrPath, dir);
  let text: string;
  try {
    text = await io.readFile(file);
  } catch {
    const known = await io.listClusters(dir).catch(() => []);
    throw new ConfigError([
      { file, path: '--cluster', message: `no cluster file ${file}`, fix: known.length ? `use one of: ${known.join(', ')}` : `create ${file}` },
    ]);
  }
  const parsed = parseYamlDocument(text, file);
  if (parsed.issues.length > 0) throw new ConfigError(parsed.issues);
  const result = parseClusterConfig(parsed.value, file);
  if (!result.config) throw new ConfigError(result.issues);
  return result.config;
}
