import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeContainerd, analyzeProbeOutput, parseProbeOutput, PROBE_MARK, readContainerdSettings } from '../../packages/spegel/src/containerd-config.ts';
import { parseToml } from '../../packages/spegel/src/toml.ts';
import { parseRuntime } from '../../packages/spegel/src/verify/runtime.ts';
import { fixture } from './helpers.ts';

const t = suite('containerd config for spegel');
const SPEGEL = '/etc/containerd/certs.d';
const hosts = { '/etc/containerd/certs.d/docker.io/hosts.toml': fixture('containerd/hosts-docker.io.toml') };
const settings = (f: string, source: 'dump' | 'file', runtime?: string) => readContainerdSettings(parseToml(fixture(`containerd/${f}`)), source, runtime ? parseRuntime(runtime) : undefined);
const analyze = (f: string, source: 'dump' | 'file', runtime: string, h: Record<string, string> = hosts) => {
  const rt = parseRuntime(runtime);
  return analyzeContainerd({ settings: readContainerdSettings(parseToml(fixture(`containerd/${f}`)), source, rt), runtime: rt, spegelPath: SPEGEL, hosts: h, mirrorAdd: true });
};

t('containerd 1.7 (schema 2) dump: settings read from the grpc.v1.cri plugin; nothing to report', () => {
  assert.equal(settings('containerd-1.7-v2.toml', 'dump'), { schema: 2, configPath: SPEGEL, discardUnpackedLayers: false, useLocalImagePull: false, inlineMirrors: false });
  assert.equal(analyze('containerd-1.7-v2.toml', 'dump', 'containerd://1.7.27'), []);
});

t('containerd 1.7 with discard_unpacked_layers and two paths: discard fails; two paths are fine before 2.1', () => {
  const f = analyze('containerd-1.7-eks-discard.toml', 'file', 'containerd://1.7.27');
  assert.equal(f.map((x) => x.level), ['fail']);
  assert.match(f[0]!.message, /discard_unpacked_layers = true/);
});

t('containerd 2.0 (schema 3) dump: images plugin read; the transfer plugin config_path is not the CRI one', () => {
  assert.equal(settings('containerd-2.0-v3.toml', 'dump'), { schema: 3, configPath: SPEGEL, discardUnpackedLayers: false, useLocalImagePull: false, inlineMirrors: false });
  assert.equal(analyze('containerd-2.0-v3.toml', 'dump', 'containerd://2.0.5'), []);
});

t('containerd 2.1+ file with use_local_image_pull: clean', () => {
  assert.equal(settings('containerd-2.1-v3-file.toml', 'file').useLocalImagePull, true);
  assert.equal(analyze('containerd-2.1-v3-file.toml', 'file', 'containerd://2.1.4'), []);
});

t('containerd 2.1+ on defaults: the two-directory default config_path fails, transfer-service pulls warn', () => {
  assert.is(settings('containerd-2.1-v3-defaults.toml', 'file').configPath, '/etc/containerd/certs.d:/etc/docker/certs.d');
  const f = analyze('containerd-2.1-v3-defaults.toml', 'file', 'containerd://2.1.4');
  assert.equal(f.map((x) => x.level), ['fail', 'warn']);
  assert.match(f[0]!.message, /lists 2 directories .* set config_path = "\/etc\/containerd\/certs.d"/);
  assert.match(f[1]!.message, /use_local_image_pull/);
});

t('a 2.0 dump on 2.0 runtime does not warn about the transfer service (it arrived in 2.1)', () => {
  assert.equal(analyze('containerd-2.0-v3.toml', 'dump', 'containerd://2.0.5').filter((x) => x.level === 'warn'), []);
  assert.equal(analyze('containerd-2.0-v3.toml', 'dump', 'containerd://2.1.0').map((x) => x.level), ['warn']);
});

t('config_path unset, another directory, inline mirrors, missing Spegel hosts.toml', () => {
  const none = analyzeContainerd({ settings: { schema: 2, configPath: undefined, discardUnpackedLayers: false, useLocalImagePull: false, inlineMirrors: true }, spegelPath: SPEGEL, hosts: {}, mirrorAdd: true });
  assert.equal(none.map((x) => x.message.split(' ').slice(0, 3).join(' ')), ['registry config_path is', 'deprecated registry.mirrors tables', 'no hosts.toml under']);
  const other = analyzeContainerd({ settings: { schema: 3, configPath: '/etc/docker/certs.d', discardUnpackedLayers: false, useLocalImagePull: true, inlineMirrors: false }, spegelPath: SPEGEL, hosts, mirrorAdd: true });
  assert.match(other[0]!.message, /does not include Spegel's \/etc\/containerd\/certs.d/);
});

t('probe output: config source and hosts files are split out; foreign output is a finding', () => {
  const out = `noise\n${PROBE_MARK}\n### source dump\n${fixture('containerd/containerd-2.1-v3-file.toml')}### hosts /etc/containerd/certs.d/_default/hosts.toml\n[host.'http://10.0.0.1:30020']\ncapabilities = ['pull']\n### end\n`;
  const r = parseProbeOutput(out)!;
  assert.is(r.source, 'dump');
  assert.equal(Object.keys(r.hosts), ['/etc/containerd/certs.d/_default/hosts.toml']);
  assert.equal(analyzeProbeOutput(out, { runtime: parseRuntime('containerd://2.1.4'), spegelPath: SPEGEL, mirrorAdd: true }), []);
  const kwok = analyzeProbeOutput('stateless-ci harness: fake container log line 1\n', { spegelPath: SPEGEL, mirrorAdd: true });
  assert.match(kwok[0]!.message, /printed no containerd report/);
  const broken = analyzeProbeOutput(`${PROBE_MARK}\n### source file\nversion = = 3\n### end\n`, { spegelPath: SPEGEL, mirrorAdd: true });
  assert.match(broken[0]!.message, /not readable TOML: TOML line 1/);
});

t.run();
