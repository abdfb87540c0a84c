import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError, ResourceNotFoundError } from '../../src/errors.ts';
import { chronologicalSplit } from '../../src/evaluation/split.ts';
import { splitInteractionsFile } from '../../src/evaluation/split-file.ts';

function table(rows: readonly [user: number, item: number, time: number][]) {
  return {
    length: rows.length,
    userIndex: Int32Array.from(rows, (r) => r[0]),
    itemIndex: Int32Array.from(rows, (r) => r[1]),
    timestamp: Float64Array.from(rows, (r) => r[2]),
  };
}

describe('Function: chronologicalSplit', () => {
  it('keeps users with fewer than 5 interactions fully in train', () => {
    // Prepare
    const rows = table([
      [0, 0, 1],
      [0, 1, 2],
      [0, 2, 3],
      [0, 3, 4],
    ]);

    // Act
    const split = chronologicalSplit(rows);

    // Assess
    expect(Array.from(split.train)).toEqual([0, 1, 2, 3]);
    expect(split.test.length).toBe(0);
  });

  it('holds out the last n // 5 interactions by time, not by file order', () => {
    // Prepare: user 0 rates items 0..10 at time 100 + item, in shuffled file order (11 rows: 2 held out);
    // user 1 (2 rows, all train) makes the held-out items 9 and 10 known to train.
    const user0 = [5, 3, 10, 0, 7, 1, 9, 2, 8, 4, 6].map((item): [number, number, number] => [
      0,
      item,
      100 + item,
    ]);
    const rows = table([...user0, [1, 9, 0], [1, 10, 0]]);

    // Act
    const split = chronologicalSplit(rows);

    // Assess: times 109 and 110 are the latest, at rows 6 and 2.
    expect(Array.from(split.test)).toEqual([2, 6]);
    expect(split.train.length).toBe(rows.length - 2);
    expect(chronologicalSplit(table(user0)).droppedTest.length).toBe(2);
  });

  it('drops test rows whose item never occurs in train and keeps file order on equal times', () => {
    // Prepare: 5 rows at the same time; the last by file order is held out, and its item 9 is unseen in train.
    const rows = table([
      [0, 0, 7],
      [0, 1, 7],
      [0, 2, 7],
      [0, 3, 7],
      [0, 9, 7],
    ]);

    // Act
    const split = chronologicalSplit(rows);

    // Assess
    expect(Array.from(split.train)).toEqual([0, 1, 2, 3]);
    expect(split.test.length).toBe(0);
    expect(Array.from(split.droppedTest)).toEqual([4]);
  });
});

describe('Function: splitInteractionsFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'split-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes train.csv and test.csv with every input column, quoting where needed', async () => {
    // Prepare
    const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
    for (let t = 0; t < 10; t++) lines.push(`u1,i${t},${1000 + t},${t === 9 ? '"click, twice"' : 'click'}`);
    for (let t = 0; t < 3; t++) lines.push(`u2,i${t},${t},watch`);
    await writeFile(join(dir, 'interactions.csv'), `${lines.join('\n')}\n`);

    // Act
    const summary = await splitInteractionsFile(join(dir, 'interactions.csv'), join(dir, 'out'));

    // Assess
    expect(summary).toMatchObject({ trainRows: 11, testRows: 0, droppedTestRows: 2, testUsers: 0 });
    const train = await readFile(join(dir, 'out', 'train.csv'), 'utf8');
    expect(train.split('\n')[0]).toBe('USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE');
    expect(train.split('\n')).toHaveLength(13);
    expect(await readFile(join(dir, 'out', 'test.csv'), 'utf8')).toBe(
      'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n',
    );
  });

  it('keeps held-out rows whose item is in train', async () => {
    // Prepare
    const lines = ['USER_ID,ITEM_ID,TIMESTAMP'];
    for (let t = 0; t < 5; t++) lines.push(`a,${t},${t}`);
    lines.push('b,4,0', 'b,"x,y",1');
    await writeFile(join(dir, 'interactions.csv'), `${lines.join('\n')}\n`);

    // Act
    const summary = await splitInteractionsFile(join(dir, 'interactions.csv'), dir);

    // Assess
    expect(summary).toMatchObject({ trainRows: 6, testRows: 1, droppedTestRows: 0, testUsers: 1 });
    expect(await readFile(summary.testPath, 'utf8')).toBe('USER_ID,ITEM_ID,TIMESTAMP\na,4,4\n');
    expect(await readFile(summary.trainPath, 'utf8')).toContain('b,"x,y",1\n');
  });

  it('fails with the file, row and column for a bad timestamp, a missing column or a missing file', async () => {
    await writeFile(join(dir, 'bad.csv'), 'USER_ID,ITEM_ID,TIMESTAMP\na,1,yesterday\n');
    await expect(splitInteractionsFile(join(dir, 'bad.csv'), dir)).rejects.toThrow(
      /bad\.csv:2:TIMESTAMP: must be a number/,
    );
    await writeFile(join(dir, 'cols.csv'), 'USER_ID,TIMESTAMP\na,1\n');
    await expect(splitInteractionsFile(join(dir, 'cols.csv'), dir)).rejects.toThrow(InvalidInputError);
    await expect(splitInteractionsFile(join(dir, 'cols.csv'), dir)).rejects.toThrow(
      /required column ITEM_ID/,
    );
    await expect(splitInteractionsFile(join(dir, 'none.csv'), dir)).rejects.toThrow(ResourceNotFoundError);
  });
});
