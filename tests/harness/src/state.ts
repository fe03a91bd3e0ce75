/** state.json: everything attach() needs to re-open a running harness from another process. */
import { readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Component } from './args.ts';
import type { BinaryPaths } from './binaries.ts';
import { StateNotFoundError } from './errors.ts';
import type { Ports } from './layout.ts';
import type { Arch, Profile } from './profile.ts';

export interface ProcessRecord {
  readonly pid: number;
  readonly argv: readonly string[];
  readonly log: string;
}

export interface HarnessState {
  readonly version: 1;
  readonly dir: string;
  readonly profile: Profile;
  readonly arch: Arch;
  readonly ports: Ports;
  readonly advertiseAddress: string;
  readonly withRegistry: boolean;
  readonly binaries: BinaryPaths;
  readonly kwokConfigs: readonly string[];
  readonly registryConfig?: string;
  readonly netns?: string;
  readonly mode: 'netns' | 'host';
  /** Unreachable routes added in host mode; removed by down(). */
  readonly blackholes: readonly string[];
  readonly processes: Partial<Record<Component, ProcessRecord>>;
  /** Removed on down() (false for a caller-provided dir, whose contents are still removed). */
  readonly ownsDir: boolean;
  readonly createdAt: string;
  readonly upMs?: number;
}

export const stateFile = (dir: string): string => join(dir, 'state.json');

export async function writeState(s: HarnessState): Promise<void> {
  const tmp = `${stateFile(s.dir)}.tmp`;
  await writeFile(tmp, JSON.stringify(s, null, 2));
  await rename(tmp, stateFile(s.dir));
}

export async function readState(dir: string): Promise<HarnessState> {
  let text: string;
  try {
    text = await readFile(stateFile(dir), 'utf8');
  } catch {
    throw new StateNotFoundError(`no harness state at ${stateFile(dir)} (is a harness running there?)`);
  }
  const s = JSON.parse(text) as HarnessState;
  if (s.version !== 1) throw new StateNotFoundError(`unsupported harness state version in ${stateFile(dir)}`);
  return s;
}
