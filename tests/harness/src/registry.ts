/** Debian docker-registry (distribution 2.8) with its own config on 127.0.0.1, storage in the state dir. */
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';

export function renderRegistryConfig(rootDir: string, port: number): string {
  return stringify({
    version: 0.1,
    log: { level: 'warn', fields: { service: 'registry' } },
    storage: { cache: { blobdescriptor: 'inmemory' }, filesystem: { rootdirectory: rootDir }, delete: { enabled: true } },
    http: { addr: `127.0.0.1:${port}`, headers: { 'X-Content-Type-Options': ['nosniff'] } },
  });
}

export async function writeRegistryConfig(registryDir: string, port: number): Promise<string> {
  const data = join(registryDir, 'data');
  await mkdir(data, { recursive: true });
  const file = join(registryDir, 'config.yml');
  await writeFile(file, renderRegistryConfig(data, port));
  return file;
}
