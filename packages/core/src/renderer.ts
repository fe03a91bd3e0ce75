/**
 * The one place that chooses how pipelines are shown: listr2's live view on a terminal, plain lines
 * in CI or when piped, a verbose log with --verbose, nothing in tests or with --json.
 */
export type RendererChoice = 'default' | 'simple' | 'verbose' | 'silent';

export interface RendererInput {
  readonly isTTY: boolean;
  readonly ci: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly test: boolean;
}

export function chooseRenderer(i: RendererInput): RendererChoice {
  if (i.test || i.json) return 'silent';
  if (i.verbose) return 'verbose';
  if (!i.isTTY || i.ci) return 'simple';
  return 'default';
}

export function rendererFromEnv(opts: { json?: boolean; verbose?: boolean }, env: NodeJS.ProcessEnv = process.env, stream: { isTTY?: boolean } = process.stderr): RendererChoice {
  return chooseRenderer({
    isTTY: Boolean(stream.isTTY),
    ci: Boolean(env.CI) && env.CI !== 'false',
    json: Boolean(opts.json),
    verbose: Boolean(opts.verbose),
    test: env.STATELESS_CI_TEST === '1',
  });
}
