import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidInputError, ResourceNotFoundError } from '../../../src/errors.ts';
import { readArtifact, writeArtifact } from '../../../src/local/model/artifact.ts';
import { loadArtifactFile, saveArtifactFile } from '../../../src/local/model/artifact-file.ts';

const sample = {
  header: { kind: 'hybrid', weights: { itemKnn: 0.5 }, note: 'ünïcode' },
  arrays: {
    indptr: Int32Array.from([0, 2, 3]),
    scores: Float32Array.from([0.5, -1.25, 3]),
    times: Float64Array.from([1_700_000_000.5]),
    flags: Uint8Array.from([1, 0, 1]),
    codes: Uint16Array.from([65535]),
    counts: Uint32Array.from([4_000_000_000]),
    empty: new Float32Array(0),
  },
  strings: { items: ['i1', 'é-2', ''], users: [] as string[] },
};

describe('Artifact container', () => {
  const dir = mkdtempSync(join(tmpdir(), 'artifact-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips header, every array type and string lists', () => {
    const loaded = readArtifact(writeArtifact(sample));
    expect(loaded.header).toEqual(sample.header);
    for (const [name, array] of Object.entries(sample.arrays)) {
      expect(loaded.arrays[name]).toBeInstanceOf(array.constructor);
      expect(Array.from(loaded.arrays[name]!)).toEqual(Array.from(array));
    }
    expect(loaded.strings).toEqual(sample.strings);
  });

  it('returns views into the buffer instead of copies', () => {
    const bytes = writeArtifact(sample);
    const loaded = readArtifact(bytes);
    expect(loaded.arrays.indptr!.buffer).toBe(bytes.buffer);
    expect(loaded.arrays.times!.byteOffset % 8).toBe(0);
  });

  it('reads a buffer that starts at an unaligned offset', () => {
    const bytes = writeArtifact(sample);
    const shifted = new Uint8Array(bytes.byteLength + 3);
    shifted.set(bytes, 3);
    expect(readArtifact(shifted.subarray(3)).arrays.scores).toEqual(sample.arrays.scores);
  });

  it('fails with InvalidInputError on wrong magic bytes', () => {
    const bytes = writeArtifact(sample);
    bytes[0] = 0;
    expect(() => readArtifact(bytes)).toThrow(/wrong magic bytes/);
    expect(() => readArtifact(bytes)).toThrow(InvalidInputError);
  });

  it('fails on a truncated buffer', () => {
    const bytes = writeArtifact(sample);
    expect(() => readArtifact(bytes.subarray(0, bytes.byteLength - 8))).toThrow(/truncated/);
    expect(() => readArtifact(bytes.subarray(0, 10))).toThrow(/only 10 bytes/);
  });

  it('fails on another format version', () => {
    const bytes = writeArtifact(sample);
    new DataView(bytes.buffer).setUint32(4, 99, true);
    expect(() => readArtifact(bytes)).toThrow(/format version 99/);
  });

  it('fails on a damaged header', () => {
    const bytes = writeArtifact(sample);
    bytes[24] = 0x7b + 1;
    expect(() => readArtifact(bytes)).toThrow(/header is not valid JSON/);
  });

  it('refuses ids containing NUL when writing', () => {
    expect(() => writeArtifact({ header: {}, arrays: {}, strings: { ids: ['a\u0000b'] } })).toThrow(
      /artifact.strings.ids.0/,
    );
  });

  it('saves and loads files, naming the path of a missing or damaged one', async () => {
    const path = join(dir, 'model.bin');
    await saveArtifactFile(path, sample);
    expect((await loadArtifactFile(path)).strings.items).toEqual(sample.strings.items);
    await expect(loadArtifactFile(join(dir, 'absent.bin'))).rejects.toThrow(ResourceNotFoundError);
    writeFileSync(join(dir, 'bad.bin'), 'not a model at all, just text');
    await expect(loadArtifactFile(join(dir, 'bad.bin'))).rejects.toThrow(/bad\.bin/);
  });
});
