import type { Environment } from '@marcbachmann/cel-js';
import type { SchemaSet } from '../../schema/registry.js';
import { celTypeOf, objectShapes, personalFields, type Shape } from '../../schema/shape.js';
import { FIELD_TYPES } from './native-runtime.js';

type ObjectShape = Extract<Shape, { kind: 'object' }>;
type Ctor = new () => object;

/**
 * CEL's view of the evidence. Every object in a register's schema becomes a CEL type whose
 * fields are known, so a policy that names a field the schema does not have is rejected when
 * it is loaded. Evidence values are converted to those types once per run (YAML integers to
 * CEL ints), not on every evaluation.
 */
export class CelModel {
  private readonly classes = new Map<string, Ctor>();
  private readonly shapes = new Map<string, ObjectShape>();
  /** Fields that hold personal data; messages may not interpolate them. */
  readonly personal = { typed: new Set<string>(), names: new Set<string>() };
  readonly registerKinds: string[];

  constructor(readonly schemas: SchemaSet) {
    this.registerKinds = [...schemas.registers.keys()].sort();
    for (const kind of this.registerKinds) {
      const reg = schemas.registers.get(kind)!;
      for (const [name, shape] of objectShapes(reg.documentShape)) this.defineClass(name, shape);
      personalFields(reg.documentShape, this.personal);
    }
    // The two views of all registers: as lists (for iteration) and as id indexes (for O(1) lookups).
    this.defineType('Registers', Object.fromEntries(this.registerKinds.map((k) => [k, `list<${this.recordType(k)}>`])));
    this.defineType('RegistersById', Object.fromEntries(this.registerKinds.map((k) => [k, `map<string, ${this.recordType(k)}>`])));
    // Any register file's envelope, for rules on every register (evidence freshness).
    this.defineType('EvidenceFile', { register: 'string', capturedAt: 'string' });
  }

  private defineClass(name: string, shape: ObjectShape): void {
    if (this.classes.has(name)) return;
    // A named class per type: cel-js recognises typed values by their constructor.
    const cls = { [name]: class {} }[name] as Ctor;
    this.classes.set(name, cls);
    this.shapes.set(name, shape);
  }

  private readonly synthetic = new Map<string, Record<string, string>>();

  /** Declares a type whose fields are given as CEL type strings (lookups, parameters). */
  defineType(name: string, fields: Record<string, string>): void {
    this.defineClass(name, { kind: 'object', name, fields: {} });
    this.synthetic.set(name, fields);
  }

  recordType(kind: string): string {
    return celTypeOf(this.schemas.registers.get(kind)!.recordShape);
  }

  documentType(kind: string): string {
    return celTypeOf(this.schemas.registers.get(kind)!.documentShape);
  }

  recordShape(kind: string): Shape {
    return this.schemas.registers.get(kind)!.recordShape;
  }

  documentShape(kind: string): Shape {
    return this.schemas.registers.get(kind)!.documentShape;
  }

  /** Registers every type (nested ones first, as cel-js requires) in `env`. */
  registerTypes(env: Environment, only?: Iterable<string>): void {
    const names = only ? [...only] : [...this.classes.keys()];
    for (const name of names) {
      const shape = this.shapes.get(name)!;
      const fields = this.synthetic.get(name) ?? Object.fromEntries(Object.entries(shape.fields).map(([k, f]) => [k, celTypeOf(f)]));
      const ctor = this.classes.get(name)!;
      // The compiled expressions check a field `has()` reads against this (native.ts).
      Object.defineProperty(ctor, FIELD_TYPES, { value: fields, configurable: true });
      env.registerType(name, { ctor, fields });
    }
  }

  /** An instance of a synthetic type with the given field values. */
  make(name: string, values: Record<string, unknown>): object {
    return Object.assign(new (this.classes.get(name)!)(), values);
  }

  /** Converts a plain evidence value to the CEL value of its shape. */
  convert(shape: Shape, value: unknown): unknown {
    if (value === null || value === undefined) return value;
    return this.converter(shape)(value);
  }

  private readonly converters = new Map<Shape, Converter>();

  /**
   * The conversion of one shape, made once: convert runs on every record of every register, so
   * the shape is read when the converter is made, not on every value. Fields whose values stay as
   * they are (strings, booleans, doubles) are copied without a call.
   */
  private converter(shape: Shape): Converter {
    let convert = this.converters.get(shape);
    if (convert) return convert;
    switch (shape.kind) {
      case 'int':
        convert = (value) => (typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : value);
        break;
      case 'list': {
        const items = shape.items;
        convert = (value) => (Array.isArray(value) ? value.map((v) => this.convert(items, v)) : value);
        break;
      }
      case 'map': {
        const values = shape.values;
        convert = (value) => (typeof value === 'object' ? new Map(Object.entries(value as object).map(([k, v]) => [k, this.convert(values, v)])) : value);
        break;
      }
      case 'object': {
        const ctor = this.classes.get(shape.name)!;
        // Filled on first use: a shape may contain itself (through a $ref).
        let fields: { key: string; convert: Converter | undefined }[] | undefined;
        convert = (value) => {
          if (typeof value !== 'object' || Array.isArray(value)) return value;
          fields ??= Object.entries(shape.fields).map(([key, f]) => ({ key, convert: keepsValue(f) ? undefined : this.converter(f) }));
          const out = new ctor() as Record<string, unknown>;
          for (let i = 0; i < fields.length; i++) {
            const { key, convert: field } = fields[i]!;
            const v = (value as Record<string, unknown>)[key];
            if (v !== undefined && v !== null) out[key] = field ? field(v) : v;
          }
          return out;
        };
        break;
      }
      case 'dyn':
        convert = toCelDyn;
        break;
      default:
        convert = (value) => value;
    }
    this.converters.set(shape, convert);
    return convert;
  }
}

type Converter = (value: unknown) => unknown;

/** Shapes whose values CEL takes as they are. */
function keepsValue(shape: Shape): boolean {
  return shape.kind === 'string' || shape.kind === 'bool' || shape.kind === 'double';
}

/** Untyped values: integers become CEL ints so that `x == 1` works as a policy author expects. */
export function toCelDyn(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCelDyn);
  if (value && typeof value === 'object') return new Map(Object.entries(value).map(([k, v]) => [k, toCelDyn(v)]));
  return value;
}
