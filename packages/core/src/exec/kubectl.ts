/**
 * The kubectl CLI through the injected shell, for the few things simpler there than in the API
 * client (human-readable output for operators, `--raw` reads in scripts). Cluster logic uses Kube.
 */
import type { Redactor } from '../redact.ts';
import { run, type Shell } from './shell.ts';

export class Kubectl {
  readonly #sh: Shell;
  readonly #global: string[];
  readonly #redactor: Redactor | undefined;
  readonly binary: string;

  constructor(sh: Shell, target: { kubeconfig?: string; context?: string } = {}, redactor?: Redactor, binary = 'kubectl') {
    this.#sh = sh;
    this.binary = binary;
    this.#redactor = redactor;
    this.#global = [...(target.kubeconfig ? ['--kubeconfig', target.kubeconfig] : []), ...(target.context ? ['--context', target.context] : [])];
  }

  async run(args: readonly string[], input?: string): Promise<string> {
    return (await run(this.#sh, this.binary, [...this.#global, ...args], this.#redactor, { input })).stdout;
  }

  /** GET a raw API path, e.g. /readyz or /api/v1/nodes/x/proxy/metrics. */
  async getRaw(path: string): Promise<string> {
    return this.run(['get', '--raw', path]);
  }
}
