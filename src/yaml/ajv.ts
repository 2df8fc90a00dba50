// One ajv setup for every schema calspec validates (suites, profiles, workloads).
import { Ajv, type ValidateFunction } from 'ajv';

function isRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false, formats: { regex: isRegex } });
  return ajv.compile(schema);
}
