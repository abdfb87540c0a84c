import type { Issue, RuleResult, Severity, ValidationReport } from './types.ts';

const HEADINGS: Readonly<Record<Severity, string>> = { error: 'ERRORS', warning: 'WARNINGS', info: 'INFO' };

function location(issue: Issue): string {
  if (issue.line === 0) return issue.file;
  return issue.column === 0 ? `${issue.file}:${issue.line}` : `${issue.file}:${issue.line}:${issue.column}`;
}

function renderRule(rule: RuleResult): string[] {
  const lines = [`  [${rule.rule}] ${rule.count} × ${rule.description}`];
  for (const issue of rule.examples) lines.push(`    ${location(issue)}  ${issue.message}`);
  const hidden = rule.count - rule.examples.length;
  if (hidden > 0) lines.push(`    … and ${hidden} more`);
  return lines;
}

function renderSummary(report: ValidationReport): string[] {
  const lines = ['SUMMARY'];
  for (const f of report.files) lines.push(`  ${f.dataset}: ${f.file}, ${f.rows} rows`);
  const i = report.interactions;
  if (i) {
    lines.push(`  users in interactions: ${i.distinctUsers}, with at least 2 interactions: ${i.activeUsers}`);
    const total = Object.values(i.eventTypes).reduce((a, b) => a + b, 0);
    const types = Object.entries(i.eventTypes).map(
      ([type, n]) => `${type || '(empty)'} ${n} (${((100 * n) / total).toFixed(1)}%)`,
    );
    lines.push(`  event types: ${types.length > 0 ? types.join(', ') : 'none (no EVENT_TYPE column)'}`);
  }
  for (const note of report.notes) lines.push(`  note: ${note}`);
  const { error, warning, info } = report.counts;
  lines.push(`  ${error} errors, ${warning} warnings, ${info} info`);
  lines.push(report.ok ? `  PASSED${warning > 0 ? ' with warnings' : ''}` : '  FAILED');
  return lines;
}

/** Human-readable report: errors, then warnings (each rule with its examples), then the summary. */
export function renderText(report: ValidationReport): string {
  const lines: string[] = [];
  for (const severity of ['error', 'warning'] as const) {
    const rules = report.rules.filter((r) => r.severity === severity);
    if (rules.length === 0) continue;
    lines.push(HEADINGS[severity], ...rules.flatMap(renderRule), '');
  }
  lines.push(...renderSummary(report));
  return `${lines.join('\n')}\n`;
}
