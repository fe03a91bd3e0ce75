// The kubelet stand-ins as a long-running process next to a persistent harness (the sandbox):
// node --import tsx main.mts <harness dir>. Stops on SIGTERM.
import { attach } from '../harness.ts';
import { startStandIns } from './kubelet-stand-in.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: main.mts <harness dir>');
const h = await attach(dir, (l) => process.stdout.write(`${l}\n`));
const s = startStandIns(h, (l) => process.stdout.write(`${new Date().toISOString()} ${l}\n`));
process.stdout.write('stand-ins ready\n');
const stop = () => void s.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
