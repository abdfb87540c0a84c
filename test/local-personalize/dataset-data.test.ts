import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetData } from '../../src/local-personalize/dataset-data.ts';
import { loadSchema } from '../../src/schemas/index.ts';

const root = mkdtempSync(join(tmpdir(), 'lp-data-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
}

describe('Class: DatasetData', () => {
  it('FULL replaces the bulk rows, reordering columns to the schema and quoting as needed', async () => {
    const data = new DatasetData(join(root, 'items'), loadSchema('items'));
    await data.replace([file('old.csv', 'ITEM_ID,CATEGORY,PRICE,CREATION_TIMESTAMP\nold,a,1,1\n')]);
    await data.replace([
      file(
        'new.csv',
        'PRICE,ITEM_ID,CATEGORY,CREATION_TIMESTAMP,DESCRIPTION\n2,i1,shoes,5,"soft, ""warm"""\n',
      ),
    ]);
    expect(readFileSync(data.bulkFile, 'utf8')).toBe(
      'ITEM_ID,CATEGORY,TAGS,BRAND,PRICE,CREATION_TIMESTAMP,DESCRIPTION\ni1,shoes,,,2,5,"soft, ""warm"""\n',
    );
  });

  it('INCREMENTAL upserts items by ITEM_ID and appends interactions', async () => {
    const items = new DatasetData(join(root, 'items2'), loadSchema('items'));
    const header = 'ITEM_ID,CATEGORY,TAGS,BRAND,PRICE,CREATION_TIMESTAMP,DESCRIPTION\n';
    await items.replace([file('i1.csv', `${header}a,x,,,1,1,\nb,x,,,1,1,\n`)]);
    await items.upsert([file('i2.csv', `${header}b,y,,,2,2,\nc,y,,,3,3,\n`)]);
    expect(readFileSync(items.bulkFile, 'utf8')).toBe(`${header}a,x,,,1,1,\nb,y,,,2,2,\nc,y,,,3,3,\n`);

    const interactions = new DatasetData(join(root, 'interactions'), loadSchema('interactions'));
    const iHeader = 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,DEVICE\n';
    await interactions.replace([file('e1.csv', `${iHeader}u,a,1,click,,\n`)]);
    await interactions.upsert([file('e2.csv', `${iHeader}u,a,1,click,,\n`)]);
    expect(readFileSync(interactions.bulkFile, 'utf8')).toBe(`${iHeader}u,a,1,click,,\nu,a,1,click,,\n`);
  });

  it('builds a training file of bulk plus streamed rows, narrowed to one event type', async () => {
    const data = new DatasetData(join(root, 'train'), loadSchema('interactions'));
    const header = 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,DEVICE\n';
    await data.replace([file('t.csv', `${header}u,a,1,click,,\nu,b,2,purchase,,\n`)]);
    expect(await data.trainingFile(join(root, 'scratch'))).toBe(data.bulkFile);
    await Promise.all([
      data.append([{ USER_ID: 'v', ITEM_ID: 'c', TIMESTAMP: '3', EVENT_TYPE: 'purchase' }]),
      data.append([{ USER_ID: 'w', ITEM_ID: 'd', TIMESTAMP: '4', EVENT_TYPE: 'purchase' }]),
    ]);
    const training = await data.trainingFile(join(root, 'scratch'), 'purchase');
    expect(readFileSync(training!, 'utf8')).toBe(
      `${header}u,b,2,purchase,,\nv,c,3,purchase,,\nw,d,4,purchase,,\n`,
    );
  });

  it('reads back the streamed rows only, in the order received, keyed by column', async () => {
    const data = new DatasetData(join(root, 'streamed'), loadSchema('interactions'));
    expect(await data.streamedRows()).toEqual([]);
    const header = 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,DEVICE\n';
    await data.replace([file('s.csv', `${header}u,a,1,click,,\n`)]);
    await data.append([{ USER_ID: 'v', ITEM_ID: 'c', TIMESTAMP: '3', EVENT_TYPE: 'buy', DEVICE: 'a,b' }]);
    await data.append([{ USER_ID: 'w', ITEM_ID: 'd', TIMESTAMP: '4', EVENT_TYPE: 'click' }]);
    expect(await data.streamedRows()).toEqual([
      { USER_ID: 'v', ITEM_ID: 'c', TIMESTAMP: '3', EVENT_TYPE: 'buy', EVENT_VALUE: '', DEVICE: 'a,b' },
      { USER_ID: 'w', ITEM_ID: 'd', TIMESTAMP: '4', EVENT_TYPE: 'click', EVENT_VALUE: '', DEVICE: '' },
    ]);
  });
});
