/** Terminal formatting of plans and check results (plain text; colour only on a TTY). */
import chalk from 'chalk';
import type { Check, ComponentPlan } from '@stateless-ci/core';

const MARK = { pass: chalk.green('PASS'), fail: chalk.red('FAIL'), warn: chalk.yellow('WARN'), skip: chalk.gray('SKIP') } as const;

export function formatChecks(checks: readonly Check[]): string {
  const width = Math.max(10, ...checks.map((c) => c.name.length));
  const rows = checks.map((c) => {
    const failing = c.failing?.length ? ` [${c.failing.slice(0, 10).join(', ')}${c.failing.length > 10 ? `, +${c.failing.length - 10} more` : ''}]` : '';
    return `${MARK[c.status]}  ${c.name.padEnd(width)}  ${c.detail}${failing}`;
  });
  return `${rows.join('\n')}\n`;
}

export function formatPlan(plans: readonly ComponentPlan[]): string {
  const lines: string[] = [];
  for (const p of plans) {
    const changed = p.changes.filter((c) => c.kind !== 'unchanged');
    lines.push(`${p.component}: ${changed.length === 0 ? 'no changes' : `${changed.length} change${changed.length === 1 ? '' : 's'}`}`);
    for (const c of changed) {
      const sign = c.kind === 'create' ? chalk.green('+') : c.kind === 'delete' ? chalk.red('-') : chalk.yellow('~');
      lines.push(`  ${sign} ${c.kind} ${c.object}`);
      for (const d of c.diff ?? []) lines.push(`      ${d}`);
    }
    for (const n of p.notes) lines.push(`  note: ${n}`);
  }
  return `${lines.join('\n')}\n`;
}
