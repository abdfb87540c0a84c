import type { ProgressReporter } from '../core/progress.ts';
import type { DatasetSchema, DatasetType } from '../schemas/types.ts';

export type Severity = 'error' | 'warning' | 'info';

/** One finding, located in a file: `line` is 1-based, `column` the 1-based CSV column (0 = whole line/file). */
export interface Issue {
  readonly severity: Severity;
  readonly rule: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** Every finding of one rule: the total count and the first few as examples. */
export interface RuleResult {
  readonly rule: string;
  readonly severity: Severity;
  readonly description: string;
  readonly count: number;
  readonly examples: readonly Issue[];
}

export interface FileSummary {
  readonly dataset: DatasetType;
  readonly file: string;
  /** Data rows, header excluded. */
  readonly rows: number;
}

export interface InteractionsSummary {
  readonly rows: number;
  readonly distinctUsers: number;
  /** Users with at least 2 interactions (Personalize needs 25). */
  readonly activeUsers: number;
  /** Rows per EVENT_TYPE value, most frequent first. */
  readonly eventTypes: Readonly<Record<string, number>>;
}

export interface ValidationReport {
  /** True when no rule of severity `error` fired. */
  readonly ok: boolean;
  /** Findings per severity, summed over rules. */
  readonly counts: Readonly<Record<Severity, number>>;
  /** Rules that fired: errors, then warnings, then info. */
  readonly rules: readonly RuleResult[];
  readonly files: readonly FileSummary[];
  readonly interactions?: InteractionsSummary;
  /** How the checks were made where it matters for reading the results (e.g. hash-based duplicates). */
  readonly notes: readonly string[];
}

export interface ValidateOptions {
  /**
   * Examples listed per rule; the count is always complete.
   * @default 10
   */
  readonly maxExamples?: number;
  /**
   * "Now" for the future-timestamp check, Unix epoch seconds.
   * @default - the current time
   */
  readonly nowSeconds?: number;
  /**
   * Fixed memory for the exact-duplicate interactions check (64-bit row hashes, 8 bytes each).
   * @default 128 MiB: exact up to about 12.5M distinct rows, then a hash-selected share of rows
   */
  readonly duplicateCheckBytes?: number;
  /** Told the bytes read of each file. @default - no progress reporting */
  readonly progress?: ProgressReporter;
}

/** CSV file paths (any one alone is fine) and the schemas they follow. */
export interface ValidateDatasetsInput {
  readonly interactions?: string;
  readonly users?: string;
  readonly items?: string;
  readonly schemas: Partial<Record<DatasetType, DatasetSchema>>;
  readonly options?: ValidateOptions;
}
