// Reads the Samsara SDK's TypeScript declarations (dist/cjs/**/*.d.ts of @samsarahq/samsara) into plain
// field tables: every member of the request and read types the Samsara sandbox serves, with its type
// (string, number, boolean, an enum's values, an array, a string map, or a nested SDK type), whether the
// SDK requires it and whether it admits null. Used by tools/samsara-vocabulary.ts (which writes the
// sandbox's table) and by the test that compares that table with the installed SDK.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

import type { SdkField, SdkObject, SdkType, SdkVocabulary } from '../src/sandbox/samsara/sdk-vocabulary-types.ts';

export type { SdkVocabulary } from '../src/sandbox/samsara/sdk-vocabulary-types.ts';

/**
 * The SDK types the sandbox serves, and the members that are path parameters, not body fields (the
 * SDK's client takes `id` out of the request before sending the rest as the body).
 */
export const SDK_ROOTS: Readonly<Record<string, readonly string[]>> = {
  CreateDriverRequest: [],
  UpdateDriverRequest: ['id'],
  ListDriversRequest: [],
  Driver: [],
  TrailersCreateTrailerRequestBody: [],
  TrailersUpdateTrailerRequestBody: ['id'],
  AssetsCreateAssetRequestBody: [],
  AssetsUpdateAssetRequestBody: ['id'],
  // POST /v1/fleet/messages (the SDK's name for its inline body).
  InlineObject2: [],
  FuelPurchasePostFuelPurchaseRequestBody: [],
  // POST /tags: the sandbox makes tags so drivers can carry them (tagIds, vehicleGroupTagId, ...).
  CreateTagRequest: [],
};

export function samsaraSdkVocabulary(packageRoot: string): SdkVocabulary {
  const version = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const program = ts.createProgram([join(packageRoot, 'dist', 'cjs', 'index.d.ts')], { noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const declarations = new Map<string, ts.InterfaceDeclaration>();
  for (const file of program.getSourceFiles()) {
    if (!file.fileName.startsWith(packageRoot)) continue;
    file.forEachChild((node) => {
      if (ts.isInterfaceDeclaration(node)) declarations.set(node.name.text, node);
    });
  }

  // A union's members come in the compiler's internal order; the SDK's order is that of the `const` the
  // enum type is derived from (`type Cycle = (typeof Cycle)[keyof typeof Cycle]`), read from its properties.
  const enumValues = (type: ts.UnionType, values: string[]): string[] => {
    const alias = type.aliasSymbol?.declarations?.[0];
    const constant = alias && checker.resolveName(type.aliasSymbol!.getName(), alias, ts.SymbolFlags.Value, false);
    if (!alias || !constant) return values;
    const ordered = checker
      .getTypeOfSymbolAtLocation(constant, alias)
      .getProperties()
      .map((p) => checker.getTypeOfSymbolAtLocation(p, alias))
      .filter((t): t is ts.StringLiteralType => t.isStringLiteral())
      .map((t) => t.value);
    return ordered.length === values.length && ordered.every((v) => values.includes(v)) ? ordered : values;
  };

  const objects: Record<string, SdkObject> = {};
  const pending: Array<[string, readonly string[]]> = Object.entries(SDK_ROOTS);

  const classify = (type: ts.Type, where: string): SdkType => {
    if (type.isUnion() && type.types.every((t) => t.isStringLiteral())) {
      return { kind: 'enum', values: enumValues(type, type.types.map((t) => (t as ts.StringLiteralType).value)) };
    }
    if (type.isStringLiteral()) return { kind: 'enum', values: [type.value] };
    if (type.flags & ts.TypeFlags.String) return { kind: 'string' };
    if (type.flags & ts.TypeFlags.Number) return { kind: 'number' };
    if (type.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return { kind: 'boolean' };
    if (type.isUnion()) return { kind: 'union', of: type.types.map((t) => classify(t, where)) };
    if (checker.isArrayType(type)) {
      const [element] = checker.getTypeArguments(type as ts.TypeReference);
      return { kind: 'array', of: classify(element, `${where}[]`) };
    }
    const name = type.aliasSymbol?.getName() ?? type.getSymbol()?.getName();
    if (name === 'Record' || (checker.getIndexInfosOfType(type).length > 0 && type.getProperties().length === 0)) return { kind: 'map' };
    if (name !== undefined && declarations.has(name)) {
      if (!(name in objects) && !pending.some(([n]) => n === name)) pending.push([name, []]);
      return { kind: 'object', name };
    }
    throw new Error(`${where}: a type the reader does not know (${checker.typeToString(type)})`);
  };

  // Samsara documents a null clear in the docstring of the cleared type, not in its TypeScript type:
  // "Explicitly setting this field to `null` will delete driver's ruleset override".
  const clearedByNull = (type: SdkType): boolean => {
    if (type.kind !== 'object') return false;
    const docs = ts.getJSDocCommentsAndTags(declarations.get(type.name) as ts.InterfaceDeclaration).map((d) => ts.getTextOfJSDocComment(d.comment) ?? '');
    return docs.some((d) => /setting this field to `null` will delete/i.test(d));
  };

  while (pending.length > 0) {
    const [name, pathParams] = pending.shift() as [string, readonly string[]];
    const declaration = declarations.get(name);
    if (declaration === undefined) throw new Error(`the SDK declares no interface ${name}`);
    const fields: Record<string, SdkField> = {};
    for (const symbol of checker.getTypeAtLocation(declaration).getProperties()) {
      const field = symbol.getName();
      if (pathParams.includes(field)) continue;
      const declared = checker.getTypeOfSymbolAtLocation(symbol, declaration);
      const parts = declared.isUnion() && !declared.types.every((t) => t.isStringLiteral() || t.flags & ts.TypeFlags.BooleanLiteral) ? declared.types : [declared];
      const nullable = parts.some((t) => t.flags & ts.TypeFlags.Null);
      const rest = parts.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
      // `boolean | undefined` arrives as true | false | undefined: put the two literals back together.
      const type = rest.length === 2 && rest.every((t) => t.flags & ts.TypeFlags.BooleanLiteral) ? { kind: 'boolean' as const } : classify(rest.length === 1 ? rest[0] : checker.getNonNullableType(declared), `${name}.${field}`);
      fields[field] = { type, required: (symbol.flags & ts.SymbolFlags.Optional) === 0, nullable, clearedByNull: clearedByNull(type) };
    }
    const sorted = Object.fromEntries(Object.keys(fields).sort().map((k) => [k, fields[k]]));
    objects[name] = { source: relative(packageRoot, declaration.getSourceFile().fileName), fields: sorted };
  }
  const ordered = Object.fromEntries(Object.keys(objects).sort().map((k) => [k, objects[k]]));
  return { version, objects: ordered };
}

/** The committed table's text: a TypeScript module the sandbox imports (no runtime SDK needed). */
export function renderVocabulary(vocabulary: SdkVocabulary): string {
  return [
    '// GENERATED by tools/samsara-vocabulary.ts from @samsarahq/samsara ' + vocabulary.version + ' (its .d.ts types); do not edit.',
    '// Each object names its source file in the SDK package. test/samsara-vocabulary.test.ts fails when the',
    '// installed SDK and this table disagree: re-run `npm run sandbox:samsara-vocabulary` and review the diff.',
    "import type { SdkVocabulary } from './sdk-vocabulary-types.ts';",
    '',
    'export const SAMSARA_SDK: SdkVocabulary = {',
    `  version: ${JSON.stringify(vocabulary.version)},`,
    '  objects: {',
    // One line per field, so an SDK upgrade's diff reads field by field.
    ...Object.entries(vocabulary.objects).flatMap(([name, o]) => [
      `    ${name}: {`,
      `      source: ${JSON.stringify(o.source)},`,
      '      fields: {',
      ...Object.entries(o.fields).map(([f, def]) => `        ${JSON.stringify(f)}: ${JSON.stringify(def)},`),
      '      },',
      '    },',
    ]),
    '  },',
    '};',
    '',
  ].join('\n');
}
