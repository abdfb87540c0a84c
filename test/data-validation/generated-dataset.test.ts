import { describe, expect, it } from 'vitest';
import { validateDatasets } from '../../src/data-validation/index.ts';
import { generateDataset } from '../../src/datagen/index.ts';
import { SCHEMAS, tempFolder } from './fixtures.ts';

const folder = tempFolder();

describe('Generated dataset', () => {
  it('validates with zero errors and zero warnings', async () => {
    // Prepare
    const { files } = await generateDataset({ outDir: folder.dir, interactions: 5000, seed: 7 });

    // Act
    const report = await validateDatasets({ ...files, schemas: SCHEMAS });

    // Assess
    expect(report.rules.filter((r) => r.severity !== 'info')).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.interactions?.rows).toBe(5000);
  });
});
