import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseToml, TomlSyntaxError } from '../../packages/spegel/src/toml.ts';
import { fixture } from './helpers.ts';

const t = suite('toml subset');

t('tables with quoted segments, strings of both kinds, numbers, booleans, arrays, inline tables', () => {
  const v = parseToml(`
version = 3 # comment
[plugins."io.containerd.cri.v1.images".registry]
config_path = '/etc/containerd/certs.d'
[a]
s = "tab\\tq\\"x\\u00e9"
n = 1_000
f = -1.5e2
b = false
arr = [ 1,
  2, # trailing
]
inl = { x = 1, "y.z" = 'w' }
dotted.key = "v"
[[list]]
i = 1
[[list]]
i = 2
`);
  assert.is(v.version, 3);
  assert.equal(v.plugins, { 'io.containerd.cri.v1.images': { registry: { config_path: '/etc/containerd/certs.d' } } });
  assert.equal(v.a, { s: 'tab\tq"xé', n: 1000, f: -150, b: false, arr: [1, 2], inl: { x: 1, 'y.z': 'w' }, dotted: { key: 'v' } });
  assert.equal(v.list, [{ i: 1 }, { i: 2 }]);
});

t('multi-line strings', () => {
  assert.equal(parseToml(`a = """\nline1\nline2"""\nb = '''\nraw\\n'''`), { a: 'line1\nline2', b: 'raw\\n' });
});

t('errors carry the line number', () => {
  assert.throws(() => parseToml('a = 1\nb = [1, 2'), (e: Error) => e instanceof TomlSyntaxError);
  assert.throws(() => parseToml('a = 1\na = 2'), /line 2: duplicate key a/);
  assert.throws(() => parseToml('[x]\ny = "open'), /line 2: unterminated string|newline in string/);
});

t('every containerd sample parses', () => {
  for (const f of ['containerd-1.7-v2.toml', 'containerd-1.7-eks-discard.toml', 'containerd-2.0-v3.toml', 'containerd-2.1-v3-file.toml', 'containerd-2.1-v3-defaults.toml', 'hosts-docker.io.toml']) {
    assert.type(parseToml(fixture(`containerd/${f}`)), 'object', f);
  }
});

t.run();
