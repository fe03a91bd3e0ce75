/** Real upstream artifacts in the local registry. Charts without a local checkout are SKIPPED, not passed. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { manifestsLayerMediaType, prepareUpstream, type UpstreamResult } from './src/index.ts';
import { cliOk, closeHarness, openHarness, type Fixture } from './fixture.ts';

const t = suite<{ f?: Fixture; results?: UpstreamResult[] }>('upstream artifacts');
t.before(async (ctx) => {
  ctx.f = await openHarness();
  ctx.results = await prepareUpstream(ctx.f.h);
  for (const r of ctx.results) if (r.status === 'unavailable') console.log(`  SKIP ${r.name} ${r.version}: ${r.reason}`);
});
t.after(async (ctx) => closeHarness(ctx.f));

const byName = (rs: UpstreamResult[] | undefined, n: string) => rs?.find((r) => r.name === n);


{
  t('k8s-digester manifests are an OCI artifact at manifests/k8s-digester:<version>', async ({ f, results }) => {
    const r = byName(results, 'k8s-digester');
    assert.ok(r, 'k8s-digester result');
    if (r!.status !== 'pushed') assert.unreachable(`k8s-digester unavailable: ${r!.reason}`);
    const res = await fetch(`http://${f!.h.registry}/v2/manifests/k8s-digester/manifests/${r!.version}`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    assert.is(res.status, 200);
    const m = (await res.json()) as { layers: { mediaType: string; digest: string }[] };
    assert.is(m.layers.length, 1);
    assert.is(m.layers[0]!.mediaType, manifestsLayerMediaType);
    const blob = await (await fetch(`http://${f!.h.registry}/v2/manifests/k8s-digester/blobs/${m.layers[0]!.digest}`)).text();
    assert.match(blob, /kind: MutatingWebhookConfiguration/);
    assert.match(blob, /kind: Deployment/);
  });
}

const charts: { name: string; env: string }[] = [
  { name: 'spegel', env: 'STATELESS_CI_UPSTREAM_SPEGEL_DIR' },
  { name: 'gha-runner-scale-set-controller', env: 'STATELESS_CI_UPSTREAM_ARC_DIR' },
  { name: 'gha-runner-scale-set', env: 'STATELESS_CI_UPSTREAM_ARC_DIR' },
];
// Values the ARC scale-set chart requires when rendered without a cluster (it looks up the controller otherwise).
const renderValues = ['--set', 'githubConfigUrl=https://github.com/example', '--set', 'githubConfigSecret.github_token=x', '--set', 'controllerServiceAccount.name=arc-gha-rs-controller', '--set', 'controllerServiceAccount.namespace=arc-systems'];
for (const c of charts) {
  const title = `chart ${c.name} is in the registry at its pinned version and renders`;
  if (!process.env[c.env]) {
    t.skip(`${title} (SKIPPED: ${c.env} unset; the Go module proxy refuses this repository)`, () => undefined);
    continue;
  }
  t(title, async ({ f, results }) => {
    const r = byName(results, c.name);
    if (r?.status !== 'pushed') return assert.unreachable(`${c.name}: ${r?.status === 'unavailable' ? r.reason : 'no result'}`);
    const show = await cliOk(f!.h, ['helm', 'show', 'chart', r.ref, '--version', r.version, '--plain-http']);
    assert.match(show, new RegExp(`^version: ${r.version.replace(/\./g, '\\.')}$`, 'm'));
    const rendered = await cliOk(f!.h, ['helm', 'template', 'x', r.ref, '--version', r.version, '--plain-http', ...renderValues]);
    assert.match(rendered, /kind: /);
  });
}

t.run();
