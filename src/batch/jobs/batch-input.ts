import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { type FieldIssue, InvalidInputError } from '../../errors.ts';
import { BATCH_LIMITS, isSegmentRecipe, type JobRecipe, RECIPE_NAMES } from './batch-limits.ts';
import { parseItemAttributesQuery } from './segment-query.ts';

/** One input line of a batch inference or batch segment job (personalize-reference.md §6.1). */
export interface BatchInputLine {
  readonly userId?: string;
  readonly itemId?: string;
  readonly itemList?: readonly string[];
  readonly itemAttributes?: string;
  readonly filterValues?: Readonly<Record<string, string>>;
}

/**
 * Which lines a job needs: users for user-personalization, items for SIMS and Item-Affinity, both for ranking,
 * attribute queries for Item-Attribute-Affinity.
 */
export interface BatchInputSource {
  readonly recipe: JobRecipe;
  readonly users?: Iterable<string>;
  readonly items?: readonly string[];
  /** Item-Attribute-Affinity queries, e.g. `ITEMS.GENRES = "comedy" AND ITEMS.COLOR = "red"`. */
  readonly attributeQueries?: readonly string[];
  readonly filterValues?: Readonly<Record<string, string>>;
}

export interface BatchInputSummary {
  /** Input lines (queries), blank lines not counted. */
  readonly lines: number;
  readonly bytes: number;
}

/** The field every input line of the recipe must carry. */
const KEY: Readonly<Record<JobRecipe, keyof BatchInputLine>> = {
  'user-personalization': 'userId',
  ranking: 'userId',
  sims: 'itemId',
  'item-affinity': 'itemId',
  'item-attribute-affinity': 'itemAttributes',
};

/** Lines per input file: Personalize's file limit, or the per-file query limit of segment recipes. */
const maxLines = (recipe: JobRecipe) =>
  isSegmentRecipe(recipe) ? BATCH_LIMITS.segmentQueries[recipe] : BATCH_LIMITS.maxLines;

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

function attributeIssues(value: unknown, line: number): FieldIssue[] {
  const field = `line ${line}.itemAttributes`;
  if (typeof value !== 'string') return [{ field, message: 'must be a string' }];
  try {
    parseItemAttributesQuery(value, field);
    return [];
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    return [...error.issues];
  }
}

/** Problems with one parsed input line for the recipe, each naming the line, the field and the limit. */
export function checkInputLine(json: unknown, recipe: JobRecipe, line: number): FieldIssue[] {
  if (!isRecord(json)) return [{ field: `line ${line}`, message: 'must be a JSON object' }];
  const issues: FieldIssue[] = [];
  const key = KEY[recipe];
  if (json[key] === undefined)
    issues.push({ field: `line ${line}.${key}`, message: `is required for ${recipe}` });
  for (const field of ['userId', 'itemId'] as const) {
    const issue = idIssue(field, json[field], line);
    if (issue) issues.push(issue);
  }
  if (recipe === 'item-attribute-affinity' && json.itemAttributes !== undefined) {
    issues.push(...attributeIssues(json.itemAttributes, line));
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
  private readonly maxLines: number;

  constructor(private readonly recipe: JobRecipe) {
    this.maxLines = maxLines(recipe);
  }

  /** Adds one line; `line` is its number in the file, which counts blank lines too. */
  add(byteLength: number, line: number): void {
    this.lines++;
    this.bytes += byteLength;
    if (this.lines > this.maxLines) {
      const what = isSegmentRecipe(this.recipe) ? `${RECIPE_NAMES[this.recipe]} queries` : 'lines';
      throw new InvalidInputError([
        {
          field: `line ${line}`,
          message: `input has more than ${this.maxLines} ${what}, Personalize's limit per input file`,
        },
      ]);
    }
    if (this.bytes > BATCH_LIMITS.maxBytes) {
      throw new InvalidInputError([
        {
          field: `line ${line}`,
          message: `input exceeds ${BATCH_LIMITS.maxBytes} bytes (1 GB), Personalize's limit per file`,
        },
      ]);
    }
  }
}

function* linesFor(source: BatchInputSource): Generator<BatchInputLine> {
  const { filterValues } = source;
  const extra = filterValues ? { filterValues } : {};
  if (source.recipe === 'item-attribute-affinity') {
    for (const itemAttributes of source.attributeQueries ?? []) yield { itemAttributes, ...extra };
    return;
  }
  if (source.recipe === 'sims' || source.recipe === 'item-affinity') {
    for (const itemId of source.items ?? []) yield { itemId, ...extra };
    return;
  }
  const itemList = source.recipe === 'ranking' ? { itemList: source.items ?? [] } : {};
  for (const userId of source.users ?? []) yield { userId, ...itemList, ...extra };
}

/** The source field that lists the lines of the recipe, for an empty input. */
const SOURCE_FIELD: Readonly<Record<JobRecipe, string>> = {
  'user-personalization': 'users',
  ranking: 'users',
  sims: 'items',
  'item-affinity': 'items',
  'item-attribute-affinity': 'attributeQueries',
};

/**
 * Writes a job's input JSON lines and checks every line and the file against Personalize's limits, so a bad
 * input fails here with the line and the limit rather than hours later in the job.
 */
export async function writeBatchInput(source: BatchInputSource, path: string): Promise<BatchInputSummary> {
  const out = createWriteStream(path);
  const counter = new LimitCounter(source.recipe);
  try {
    for (const line of linesFor(source)) {
      const number = counter.lines + 1;
      const issues = checkInputLine(line, source.recipe, number);
      if (issues.length > 0) throw new InvalidInputError(issues);
      const text = `${JSON.stringify(line)}\n`;
      counter.add(Buffer.byteLength(text), number);
      if (!out.write(text)) await once(out, 'drain');
    }
    if (counter.lines === 0) {
      throw new InvalidInputError([
        { field: SOURCE_FIELD[source.recipe], message: 'lists nothing: the job input would be empty' },
      ]);
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { lines: counter.lines, bytes: counter.bytes };
}

/** Checks an existing JSON-lines input file line by line; throws with every problem of the first bad line. */
export async function checkBatchInputFile(path: string, recipe: JobRecipe): Promise<BatchInputSummary> {
  const counter = new LimitCounter(recipe);
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  let blankBytes = 0;
  for await (const text of lines) {
    number++;
    if (text.trim().length === 0) {
      blankBytes += Buffer.byteLength(text) + 1;
      continue;
    }
    counter.add(Buffer.byteLength(text) + 1 + blankBytes, number);
    blankBytes = 0;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new InvalidInputError([{ field: `line ${number}`, message: 'is not valid JSON' }]);
    }
    const issues = checkInputLine(json, recipe, number);
    if (issues.length > 0) throw new InvalidInputError(issues);
  }
  if (counter.lines === 0) {
    throw new InvalidInputError([
      { field: path, message: 'has no input lines: the job input would be empty' },
    ]);
  }
  return { lines: counter.lines, bytes: counter.bytes };
}
