import { describe, expect, it } from 'vitest';
import type { AttributeTable } from '../../../src/local/data/types.ts';
import { exportAttributes, importAttributes } from '../../../src/local/model/attribute-state.ts';

describe('exportAttributes and importAttributes', () => {
  it('round-trip categorical, numeric and textual columns, nulls included', () => {
    const table: AttributeTable = {
      columns: [
        { name: 'GENRES', kind: 'categorical', values: [['Drama', 'Comedy'], [], ['Horror']] },
        { name: 'PRICE', kind: 'numeric', values: Float64Array.of(9.5, Number.NaN, 3) },
        { name: 'DESCRIPTION', kind: 'textual', values: ['a dog story', null, ''] },
      ],
    };
    const state = exportAttributes(table, 'items.');
    expect(importAttributes(state.columns, state.arrays, state.strings, 'items.')).toEqual(table);
  });
});
