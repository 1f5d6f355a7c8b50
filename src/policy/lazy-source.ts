import { readFileSync } from 'node:fs';
import type { Location } from '../core/findings.js';
import { SourceFile } from '../core/source.js';

/**
 * What the CEL compiler needs of a policy file: its path, and positions for the problems it finds
 * (always with file, line and column). A real SourceFile is that; so is a LazySourceFile.
 */
export type PolicySource = Pick<SourceFile, 'path' | 'locate' | 'locateValue' | 'valueNode' | 'position' | 'start'> & { readonly text: string; resolve?: () => SourceFile };

/**
 * A policy file loaded from the policy cache: nothing parsed. Only when a position inside it is
 * needed (a problem, which the cached policies had none of, so only with parameter overrides or
 * a changed schema) is the file read and parsed, once.
 */
export class LazySourceFile implements PolicySource {
  private parsed: SourceFile | undefined;

  constructor(
    private readonly absPath: string,
    readonly path: string,
  ) {}

  resolve(): SourceFile {
    this.parsed ??= new SourceFile(this.path, readFileSync(this.absPath, 'utf8').replace(/^\uFEFF/, ''));
    return this.parsed;
  }

  get text(): string {
    return this.resolve().text;
  }

  locate(pointer: string): Location {
    return this.resolve().locate(pointer);
  }

  locateValue(pointer: string): Location {
    return this.resolve().locateValue(pointer);
  }

  valueNode(pointer: string): ReturnType<SourceFile['valueNode']> {
    return this.resolve().valueNode(pointer);
  }

  position(offset: number): { line: number; column: number } {
    return this.resolve().position(offset);
  }

  start(): Location {
    return { file: this.path, pointer: '', line: 1, column: 1 };
  }
}
