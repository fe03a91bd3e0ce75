/** The process IO the freshness command needs: terminal prompt, environment, file reads. */
import { access, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';

async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export const freshnessProcessIO = {
  stdout: (t: string) => void process.stdout.write(t),
  stderr: (t: string) => void process.stderr.write(t),
  isTTY: Boolean(process.stdin.isTTY && process.stderr.isTTY),
  ask,
  env: process.env,
  readFile: (p: string) => readFile(p, 'utf8'),
  exists: (p: string) =>
    access(p).then(
      () => true,
      () => false,
    ),
};
