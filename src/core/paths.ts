import path from 'node:path';

/**
 * How a file is named in reports: relative to the working directory when it is below it (so CI
 * logs link to `evidence/terminals.yaml:16:7`), absolute otherwise; always with '/' separators.
 */
export function displayPath(file: string): string {
  const abs = path.resolve(file);
  const rel = path.relative(process.cwd(), abs);
  const shown = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
  return shown.split(path.sep).join('/');
}
