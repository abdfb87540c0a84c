import { InvalidInputError } from '../../errors.ts';

/**
 * One binary container for trained models: a fixed prelude, a JSON header, then named typed arrays and string
 * lists. Every array starts on an 8-byte boundary so `readArtifact` hands out views into the buffer instead of
 * copies; loading a large model costs one file read plus a JSON parse.
 *
 * Layout (little-endian):
 *   0  magic "PTKA"            4  format version (u32)     8  header JSON byte length (u32)
 *   12 reserved (u32, 0)      16  total byte length (f64) 24  header JSON (UTF-8), padded to 8
 *   then each array and string blob at the offset its header entry names.
 */

export type ArtifactArray = Int32Array | Float32Array | Float64Array | Uint8Array | Uint16Array | Uint32Array;

/** What a model writes: JSON metadata, named typed arrays and named string lists (ids, names). */
export interface Artifact<H = unknown> {
  readonly header: H;
  readonly arrays: Readonly<Record<string, ArtifactArray>>;
  readonly strings?: Readonly<Record<string, readonly string[]>>;
}

/** What `readArtifact` returns: arrays are views into the input buffer (no copies). */
export interface LoadedArtifact<H = unknown> {
  readonly header: H;
  readonly arrays: Readonly<Record<string, ArtifactArray>>;
  readonly strings: Readonly<Record<string, readonly string[]>>;
}

const MAGIC = [0x50, 0x54, 0x4b, 0x41]; // "PTKA"
export const ARTIFACT_VERSION = 1;
const PRELUDE_BYTES = 24;
// Ids are joined with NUL: ids never legitimately contain it, and one decode + split beats per-id decoding.
const SEPARATOR = '\u0000';

const ARRAY_TYPES = {
  Int32Array,
  Float32Array,
  Float64Array,
  Uint8Array,
  Uint16Array,
  Uint32Array,
} as const;
type ArrayTypeName = keyof typeof ARRAY_TYPES;

interface ArrayEntry {
  readonly name: string;
  readonly type: ArrayTypeName;
  readonly offset: number;
  readonly length: number;
}

interface StringsEntry {
  readonly name: string;
  readonly offset: number;
  readonly byteLength: number;
  readonly count: number;
}

interface Envelope {
  readonly meta: unknown;
  readonly arrays: readonly ArrayEntry[];
  readonly strings: readonly StringsEntry[];
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function typeNameOf(array: ArtifactArray): ArrayTypeName {
  for (const [name, type] of Object.entries(ARRAY_TYPES)) {
    if (array instanceof type) return name as ArrayTypeName;
  }
  throw new InvalidInputError([
    { field: 'artifact.arrays', message: `unsupported array type ${array.constructor.name}` },
  ]);
}

function encodeStrings(name: string, list: readonly string[]): Uint8Array {
  for (let i = 0; i < list.length; i++) {
    if (list[i]!.includes(SEPARATOR)) {
      throw new InvalidInputError([
        { field: `artifact.strings.${name}.${i}`, message: 'must not contain the NUL character' },
      ]);
    }
  }
  return Buffer.from(list.join(SEPARATOR), 'utf8');
}

/** Serializes an artifact into one buffer (see the layout above). */
export function writeArtifact<H>(artifact: Artifact<H>): Uint8Array {
  const encoder = new TextEncoder();
  const arrayNames = Object.keys(artifact.arrays);
  const stringBlobs = Object.entries(artifact.strings ?? {}).map(
    ([name, list]) => [name, encodeStrings(name, list), list.length] as const,
  );
  // The header names offsets, and offsets depend on the header's length: lay out the body relative to 0
  // first, then shift it by the padded header size.
  let bodyBytes = 0;
  const arrays: ArrayEntry[] = arrayNames.map((name) => {
    const array = artifact.arrays[name]!;
    const entry = { name, type: typeNameOf(array), offset: bodyBytes, length: array.length };
    bodyBytes = align8(bodyBytes + array.byteLength);
    return entry;
  });
  const strings: StringsEntry[] = stringBlobs.map(([name, blob, count]) => {
    const entry = { name, offset: bodyBytes, byteLength: blob.byteLength, count };
    bodyBytes = align8(bodyBytes + blob.byteLength);
    return entry;
  });
  const headerFor = (shift: number): Uint8Array =>
    encoder.encode(
      JSON.stringify({
        meta: artifact.header,
        arrays: arrays.map((a) => ({ ...a, offset: a.offset + shift })),
        strings: strings.map((s) => ({ ...s, offset: s.offset + shift })),
      } satisfies Envelope),
    );
  // Shifting offsets can lengthen the JSON (more digits), so iterate until the padded size is stable.
  let bodyStart = align8(PRELUDE_BYTES + headerFor(0).byteLength);
  let header = headerFor(bodyStart);
  while (align8(PRELUDE_BYTES + header.byteLength) !== bodyStart) {
    bodyStart = align8(PRELUDE_BYTES + header.byteLength);
    header = headerFor(bodyStart);
  }

  const total = bodyStart + bodyBytes;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(4, ARTIFACT_VERSION, true);
  view.setUint32(8, header.byteLength, true);
  view.setUint32(12, 0, true);
  view.setFloat64(16, total, true);
  out.set(header, PRELUDE_BYTES);
  for (const entry of arrays) {
    const array = artifact.arrays[entry.name]!;
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), bodyStart + entry.offset);
  }
  stringBlobs.forEach(([, blob], i) => {
    out.set(blob, bodyStart + strings[i]!.offset);
  });
  return out;
}

function corrupt(message: string, source: string): InvalidInputError {
  return new InvalidInputError([{ field: source, message: `not a valid model artifact: ${message}` }]);
}

function parseEnvelope(bytes: Uint8Array, headerLength: number, source: string): Envelope {
  let envelope: Envelope;
  try {
    envelope = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(
        bytes.subarray(PRELUDE_BYTES, PRELUDE_BYTES + headerLength),
      ),
    );
  } catch (error) {
    throw corrupt(`the header is not valid JSON (${(error as Error).message})`, source);
  }
  if (!Array.isArray(envelope?.arrays) || !Array.isArray(envelope.strings)) {
    throw corrupt('the header lacks its array and string tables', source);
  }
  return envelope;
}

/**
 * Reads an artifact written by `writeArtifact`. Arrays are views into `bytes` (copied once only when
 * `bytes` itself is not 8-byte aligned). Wrong magic, another version, truncation or an inconsistent header
 * throw an InvalidInputError naming `source` (the file path, when there is one).
 */
export function readArtifact<H = unknown>(input: Uint8Array, source = 'artifact'): LoadedArtifact<H> {
  if (input.byteLength < PRELUDE_BYTES) throw corrupt(`only ${input.byteLength} bytes`, source);
  if (MAGIC.some((b, i) => input[i] !== b)) throw corrupt('wrong magic bytes', source);
  const bytes = input.byteOffset % 8 === 0 ? input : input.slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== ARTIFACT_VERSION) {
    throw corrupt(`format version ${version}, this build reads version ${ARTIFACT_VERSION}`, source);
  }
  const total = view.getFloat64(16, true);
  if (total !== bytes.byteLength) {
    throw corrupt(`expected ${total} bytes, got ${bytes.byteLength} (truncated or padded)`, source);
  }
  const headerLength = view.getUint32(8, true);
  if (PRELUDE_BYTES + headerLength > total) throw corrupt('the header runs past the end', source);
  const envelope = parseEnvelope(bytes, headerLength, source);

  const arrays: Record<string, ArtifactArray> = {};
  for (const entry of envelope.arrays) {
    const type = ARRAY_TYPES[entry.type];
    if (type === undefined) throw corrupt(`array ${entry.name} has unknown type ${entry.type}`, source);
    const end = entry.offset + entry.length * type.BYTES_PER_ELEMENT;
    if (entry.offset % 8 !== 0 || entry.offset < PRELUDE_BYTES + headerLength || end > total) {
      throw corrupt(`array ${entry.name} lies outside the buffer`, source);
    }
    arrays[entry.name] = new type(bytes.buffer as ArrayBuffer, bytes.byteOffset + entry.offset, entry.length);
  }
  const decoder = new TextDecoder();
  const strings: Record<string, readonly string[]> = {};
  for (const entry of envelope.strings) {
    if (entry.offset + entry.byteLength > total) {
      throw corrupt(`string list ${entry.name} lies outside the buffer`, source);
    }
    const text = decoder.decode(bytes.subarray(entry.offset, entry.offset + entry.byteLength));
    const list = entry.count === 0 ? [] : text.split(SEPARATOR);
    if (list.length !== entry.count) {
      throw corrupt(
        `string list ${entry.name} holds ${list.length} entries, expected ${entry.count}`,
        source,
      );
    }
    strings[entry.name] = list;
  }
  return { header: envelope.meta as H, arrays, strings };
}
