/**
 * What the digester cluster suites need from outside the netns: the k8s-digester module in
 * GOMODCACHE (its manifests; `go mod download github.com/google/k8s-digester@v0.1.16`) and, for the
 * end-to-end suite, the k8s-digester binary built from the Go module proxy by build-binaries.sh.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import { readVersions } from '../../harness/src/index.ts';
import { digesterBinary } from '../../harness/src/stand-ins/digester-process.ts';
import { digesterManifestDir } from '../../harness/src/upstream.ts';

export const digesterVersion = (): string => readVersions().digester;

export { digesterBinary };

/** A reason the suite cannot run, or undefined. */
export function missingPrereq(opts: { binary?: boolean } = {}): string | undefined {
  const dir = digesterManifestDir(digesterVersion());
  if (!existsSync(join(dir, 'Kustomization'))) return `${dir} missing; outside the netns run: go mod download github.com/google/k8s-digester@${digesterVersion()}`;
  if (opts.binary) {
    try {
      accessSync(digesterBinary(), constants.X_OK);
    } catch {
      return `${digesterBinary()} missing; outside the netns run: bash tests/harness/build-binaries.sh digester`;
    }
  }
  return undefined;
}

/** Prints the one skip line the runner counts, when a prerequisite is missing. Returns true if skipped. */
export function skipSuiteIfMissing(file: string, opts: { binary?: boolean } = {}): boolean {
  const why = missingPrereq(opts);
  if (why) console.log(`# skipped-suite: ${file}: ${why}`);
  return why !== undefined;
}
