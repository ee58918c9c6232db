import fs from 'node:fs';
import path from 'node:path';

/**
 * Validates a value against a schema of Google's Comment Analyzer discovery document (vendored as OpenAPI 3.0 in
 * test/fixtures/perspective/commentanalyzer.json). Stricter than the document: an object may hold only the
 * properties its schema names, so an answer cannot carry fields Perspective clients have never seen.
 * Returns the problems found, empty when the value conforms.
 */
type Schema = {
  $ref?: string; type?: string; properties?: Record<string, Schema>; additionalProperties?: Schema | boolean;
  items?: Schema; enum?: string[]; format?: string;
};

const doc = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/perspective/commentanalyzer.json'), 'utf8')) as {
  components: { schemas: Record<string, Schema> };
};

export function discoverySchemaErrors(schemaName: string, value: unknown): string[] {
  const errors: string[] = [];
  check({ $ref: `#/components/schemas/${schemaName}` }, value, schemaName, errors);
  return errors;
}

function check(schema: Schema, v: unknown, at: string, errors: string[]): void {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components.schemas[name];
    if (!target) throw new Error(`no schema ${name} in the discovery document`);
    return check(target, v, at, errors);
  }
  switch (schema.type) {
    case 'object': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return void errors.push(`${at}: expected an object`);
      for (const [k, child] of Object.entries(v)) {
        const prop = schema.properties?.[k];
        if (prop) check(prop, child, `${at}.${k}`, errors);
        else if (typeof schema.additionalProperties === 'object') check(schema.additionalProperties, child, `${at}.${k}`, errors);
        else errors.push(`${at}.${k}: not in the schema`);
      }
      return;
    }
    case 'array':
      if (!Array.isArray(v)) return void errors.push(`${at}: expected an array`);
      v.forEach((x, i) => check(schema.items ?? {}, x, `${at}[${i}]`, errors));
      return;
    case 'string':
      if (typeof v !== 'string') return void errors.push(`${at}: expected a string`);
      if (schema.enum && !schema.enum.includes(v)) errors.push(`${at}: ${v} is not one of ${schema.enum.join(', ')}`);
      return;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) errors.push(`${at}: expected a number`);
      return;
    case 'integer':
      if (!Number.isInteger(v)) errors.push(`${at}: expected an integer`);
      return;
    case 'boolean':
      if (typeof v !== 'boolean') errors.push(`${at}: expected a boolean`);
      return;
    default:
      return;
  }
}
