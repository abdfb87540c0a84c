import { DATA_RULES, type DataRuleId } from './rule-catalog.ts';
import type { Issue, RuleResult, Severity } from './types.ts';

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

interface RuleTally {
  readonly severity: Severity;
  readonly description: string;
  count: number;
  readonly examples: Issue[];
}

/** Counts findings per rule and keeps the first `maxExamples` of each, so memory stays bounded. */
export class IssueLog {
  private readonly tallies = new Map<string, RuleTally>();

  constructor(private readonly maxExamples: number) {}

  /** Records a finding of a data rule; severity and description come from the rule catalog. */
  add(rule: DataRuleId, file: string, line: number, column: number, message: string): void {
    const { severity, description } = DATA_RULES[rule];
    this.addWith(rule, severity, description, { file, line, column, message });
  }

  /** Records a finding of a rule outside the data catalog (schema rules). */
  addWith(
    rule: string,
    severity: Severity,
    description: string,
    at: Pick<Issue, 'file' | 'line' | 'column' | 'message'>,
  ): void {
    let tally = this.tallies.get(rule);
    if (!tally) {
      tally = { severity, description, count: 0, examples: [] };
      this.tallies.set(rule, tally);
    }
    tally.count++;
    if (tally.examples.length < this.maxExamples) tally.examples.push({ severity, rule, ...at });
  }

  /** Rules that fired, errors first, then warnings, then info; by rule id within a severity. */
  results(): RuleResult[] {
    return [...this.tallies]
      .map(([rule, t]) => ({ rule, ...t }))
      .sort(
        (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.rule.localeCompare(b.rule),
      );
  }
}
