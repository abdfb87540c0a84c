import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { type FieldIssue, InvalidInputError } from '../errors.ts';
import { BATCH_LIMITS, type BatchRecipe } from './batch-limits.ts';

/** One input line of a batch job (personalize-reference.md §6.1). */
export interface BatchInputLine {
  readonly userId?: string;
  readonly itemId?: string;
  readonly itemList?: readonly string[];
  readonly filterValues?: Readonly<Record<string, string>>;
}

/** Which lines a job needs: users for user-personalization, items for SIMS and segments, both for ranking. */
export interface BatchInputSource {
  readonly recipe: BatchRecipe | 'item-affinity';
  readonly users?: Iterable<string>;
  readonly items?: readonly string[];
  readonly filterValues?: Readonly<Record<string, string>>;
}

export interface BatchInputSummary {
  readonly lines: number;
  readonly bytes: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function idIssue(field: string, value: unknown, line: number): FieldIssue | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > BATCH_LIMITS.idLength) {
    return {
      field: `line ${line}.${field}`,
      message: `must be a string of 1..${BATCH_LIMITS.idLength} characters, got ${JSON.stringify(value)?.slice(0, 300)}`,
    };
  }
  return undefined;
}

/** Problems with one parsed input line for the recipe, each naming the line, the field and the limit. */
export function checkInputLine(
  json: unknown,
  recipe: BatchInputSource['recipe'],
  line: number,
): FieldIssue[] {
  if (!isRecord(json)) return [{ field: `line ${line}`, message: 'must be a JSON object' }];
  const issues: FieldIssue[] = [];
  const key = recipe === 'user-personalization' || recipe === 'ranking' ? 'userId' : 'itemId';
  if (json[key] === undefined)
    issues.push({ field: `line ${line}.${key}`, message: `is required for ${recipe}` });
  for (const field of ['userId', 'itemId'] as const) {
    const issue = idIssue(field, json[field], line);
    if (issue) issues.push(issue);
  }
  if (recipe === 'ranking') {
    const list = json.itemList;
    if (!Array.isArray(list) || list.length === 0 || list.length > BATCH_LIMITS.itemListLength) {
      issues.push({
        field: `line ${line}.itemList`,
        message: `must list 1..${BATCH_LIMITS.itemListLength} item ids for ranking`,
      });
    } else {
      list.forEach((id, i) => {
        const issue = idIssue(`itemList.${i}`, id, line);
        if (issue) issues.push(issue);
      });
    }
  }
  return issues;
}

/** Counts lines and bytes against the file limits as they are written or read. */
class LimitCounter {
  lines = 0;
  bytes = 0;

  add(byteLength: number): void {
    this.lines++;
    this.bytes += byteLength;
    if (this.lines > BATCH_LIMITS.maxLines) {
      throw new InvalidInputError([
        {
          field: `line ${this.lines}`,
          message: `input has more than ${BATCH_LIMITS.maxLines} lines, Personalize's limit per file`,
        },
      ]);
    }
    if (this.bytes > BATCH_LIMITS.maxBytes) {
      throw new InvalidInputError([
        {
          field: `line ${this.lines}`,
          message: `input exceeds ${BATCH_LIMITS.maxBytes} bytes (1 GB), Personalize's limit per file`,
        },
      ]);
    }
  }
}

function* linesFor(source: BatchInputSource): Generator<BatchInputLine> {
  const { filterValues } = source;
  const extra = filterValues ? { filterValues } : {};
  if (source.recipe === 'sims' || source.recipe === 'item-affinity') {
    for (const itemId of source.items ?? []) yield { itemId, ...extra };
    return;
  }
  const itemList = source.recipe === 'ranking' ? { itemList: source.items ?? [] } : {};
  for (const userId of source.users ?? []) yield { userId, ...itemList, ...extra };
}

/**
 * Writes a job's input JSON lines and checks every line and the file against Personalize's limits, so a bad
 * input fails here with the line and the limit rather than hours later in the job.
 */
export async function writeBatchInput(source: BatchInputSource, path: string): Promise<BatchInputSummary> {
  const out = createWriteStream(path);
  const counter = new LimitCounter();
  try {
    for (const line of linesFor(source)) {
      const issues = checkInputLine(line, source.recipe, counter.lines + 1);
      if (issues.length > 0) throw new InvalidInputError(issues);
      const text = `${JSON.stringify(line)}\n`;
      counter.add(Buffer.byteLength(text));
      if (!out.write(text)) await once(out, 'drain');
    }
    if (counter.lines === 0) {
      throw new InvalidInputError([
        {
          field: source.recipe === 'sims' || source.recipe === 'item-affinity' ? 'items' : 'users',
          message: 'lists no ids: the job input would be empty',
        },
      ]);
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { lines: counter.lines, bytes: counter.bytes };
}

/** Checks an existing JSON-lines input file line by line; throws with every problem of the first bad line. */
export async function checkBatchInputFile(
  path: string,
  recipe: BatchInputSource['recipe'],
): Promise<BatchInputSummary> {
  const counter = new LimitCounter();
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const text of lines) {
    counter.add(Buffer.byteLength(text) + 1);
    if (text.trim().length === 0) continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new InvalidInputError([{ field: `line ${counter.lines}`, message: 'is not valid JSON' }]);
    }
    const issues = checkInputLine(json, recipe, counter.lines);
    if (issues.length > 0) throw new InvalidInputError(issues);
  }
  return { lines: counter.lines, bytes: counter.bytes };
}
