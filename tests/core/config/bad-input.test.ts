// The bad-input corpus: every file under fixtures/bad-clusters holds one (or a few) mistakes and
// names, in `# expect:` lines, the messages the user must see. Every message names the file, the
// field and a fix; nothing secret is echoed.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, formatIssue, loadClusterFile } from '@stateless-ci/core';

const dir = path.join(import.meta.dirname, '../fixtures/bad-clusters');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const test = suite('bad cluster files');

const io = { readFile: async (p: string) => readFileSync(p, 'utf8'), listClusters: async () => ['theia-prod', 'parma'] };

test('the corpus has at least 25 files', () => {
  assert.ok(files.length >= 25, `only ${files.length} files`);
});

for (const f of files) {
  test(f, async () => {
    const file = path.join(dir, f);
    const text = readFileSync(file, 'utf8');
    const expects = [...text.matchAll(/^# expect: (.+)$/gm)].map((m) => m[1]!);
    assert.ok(expects.length > 0, 'fixture names no expected message');
    try {
      await loadClusterFile(file, dir, io);
      assert.unreachable('the bad file was accepted');
    } catch (e) {
      assert.instance(e, ConfigError);
      const lines = (e as ConfigError).issues.map(formatIssue);
      for (const want of expects) {
        assert.ok(lines.some((l) => l.includes(want)), `missing "${want}" in:\n${lines.join('\n')}`);
      }
      for (const l of lines) {
        assert.ok(l.startsWith(`${file}: `), `message does not name the file: ${l}`);
        assert.match(l, /\. Fix: \S/, `message has no fix: ${l}`);
        assert.not.match(l, /ghp_0123456789|MIIEowIBAAKCAQEA/, `message echoes a secret: ${l}`);
      }
    }
  });
}

test.run();
