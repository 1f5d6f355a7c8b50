import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes a report atomically: a reader never sees half a file. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, file);
}

export async function output(text: string, file: string | undefined): Promise<void> {
  if (file) await writeAtomic(file, text);
  else process.stdout.write(text);
}
