import { readFile, rename, writeFile } from 'node:fs/promises';
import { fileReadError } from '../../core/file-errors.ts';
import { type Artifact, type LoadedArtifact, readArtifact, writeArtifact } from './artifact.ts';

/** Writes the artifact next to `path` first and renames it, so readers never see a half-written file. */
export async function saveArtifactFile<H>(path: string, artifact: Artifact<H>): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, writeArtifact(artifact));
  await rename(temporary, path);
}

/** Reads an artifact file; a missing file is a ResourceNotFoundError, a damaged one an InvalidInputError. */
export async function loadArtifactFile<H = unknown>(path: string): Promise<LoadedArtifact<H>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw fileReadError(error, path, 'model file');
  }
  return readArtifact<H>(bytes, path);
}
