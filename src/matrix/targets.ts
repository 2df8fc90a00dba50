// The interop targets file (`calspec matrix targets.yaml`): which servers to run the suites
// against, with their profiles, credentials (file or environment variable, never inline) and
// optional start/stop commands. Validated like suites: errors are file:line:col.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { CalspecError, EXIT } from '../model/exit-codes.js';
import { compileSchema } from '../yaml/ajv.js';
import { positionOf, readYaml, validateOrThrow, yamlError, type YamlSource } from '../yaml/source.js';
import { resolveProfilePath } from '../profile/load.js';

export interface TargetSpec {
  name: string;
  /** Base URL; may use ${VAR} / ${VAR:-default}. Optional when `start` prints the URL. */
  url?: string;
  profile?: string;
  user?: string;
  /** Names of environment variables holding the user / password. */
  userEnv?: string;
  passwordEnv?: string;
  passwordFile?: string;
  user2?: string;
  password2Env?: string;
  password2File?: string;
  auth?: 'basic' | 'digest' | 'bearer' | 'auto';
  noAuth?: boolean;
  /** Shell command run (bash -c) before the target; the last line it prints is the URL when `url` is absent. */
  start?: string;
  stop?: string;
  env?: Record<string, string>;
  baseline?: string;
  insecure?: boolean;
  /** Run scenarios that write outside the sandbox (scheduling): only for throwaway servers. */
  allowAccountWrites?: boolean;
  filter?: string;
  jobs?: number;
}

export interface TargetsFile {
  file: string;
  /** Directory relative paths and commands resolve against. */
  dir: string;
  suites?: string[];
  jobs?: number;
  targets: TargetSpec[];
}

const NAME = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' };
const ENV_NAME = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' };

export function targetsSchema(): Record<string, unknown> {
  return {
    type: 'object',
    required: ['targets'],
    additionalProperties: false,
    properties: {
      suites: { type: 'array', items: { type: 'string', minLength: 1 } },
      jobs: { type: 'integer', minimum: 1, maximum: 64 },
      targets: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            name: NAME,
            url: { type: 'string', minLength: 1 },
            profile: { type: 'string', minLength: 1 },
            user: { type: 'string', minLength: 1 },
            userEnv: ENV_NAME,
            passwordEnv: ENV_NAME,
            passwordFile: { type: 'string', minLength: 1 },
            user2: { type: 'string', minLength: 1 },
            password2Env: ENV_NAME,
            password2File: { type: 'string', minLength: 1 },
            auth: { enum: ['basic', 'digest', 'bearer', 'auto'] },
            noAuth: { type: 'boolean' },
            start: { type: 'string', minLength: 1 },
            stop: { type: 'string', minLength: 1 },
            env: { type: 'object', additionalProperties: { type: 'string' } },
            baseline: { type: 'string', minLength: 1 },
            insecure: { type: 'boolean' },
            allowAccountWrites: { type: 'boolean' },
            filter: { type: 'string', format: 'regex' },
            jobs: { type: 'integer', minimum: 1, maximum: 64 },
          },
        },
      },
    },
  };
}

let validator: ValidateFunction | undefined;

function fail(src: YamlSource, path: (string | number)[], message: string, key?: string): never {
  const pos = positionOf(src, path.map(String), key);
  throw yamlError(src.file, pos.line, pos.col, message);
}

export function loadTargets(file: string, text?: string): TargetsFile {
  const src = readYaml(file, text);
  validator ??= compileSchema(targetsSchema());
  validateOrThrow(src, validator, (path) => (path.length === 2 && path[0] === 'targets' ? 'target key' : undefined));
  const raw = src.data as { suites?: string[]; jobs?: number; targets: TargetSpec[] };
  const dir = dirname(resolve(file));
  const seen = new Set<string>();
  raw.targets.forEach((t, i) => {
    const at = ['targets', i];
    if (seen.has(t.name)) fail(src, [...at, 'name'], `duplicate target name '${t.name}'`);
    seen.add(t.name);
    if (!t.url && !t.start) fail(src, at, `target '${t.name}': needs url, or a start command that prints the URL`);
    if (t.noAuth && (t.user || t.userEnv || t.passwordEnv || t.passwordFile))
      fail(src, at, `target '${t.name}': noAuth cannot be combined with credentials`, 'noAuth');
    if (!t.noAuth && !t.user && !t.userEnv)
      fail(src, at, `target '${t.name}': needs user or userEnv (or noAuth: true)`);
    if (!t.noAuth && !t.passwordEnv && !t.passwordFile)
      fail(src, at, `target '${t.name}': needs passwordFile or passwordEnv (passwords are never written inline)`);
    if (t.passwordEnv && t.passwordFile)
      fail(src, at, `target '${t.name}': passwordEnv and passwordFile are exclusive`, 'passwordFile');
    if (t.user2 && !t.password2Env && !t.password2File)
      fail(src, at, `target '${t.name}': user2 needs password2File or password2Env`, 'user2');
    if (t.profile) {
      try {
        resolveProfilePath(t.profile);
      } catch (error) {
        fail(src, [...at, 'profile'], (error as Error).message);
      }
    }
    for (const key of ['passwordFile', 'password2File', 'baseline'] as const) {
      const v = t[key];
      if (v && !existsSync(resolveIn(dir, v))) fail(src, [...at, key], `${key}: no such file ${v}`);
    }
  });
  return {
    file,
    dir,
    targets: raw.targets,
    ...(raw.suites ? { suites: raw.suites.map((s) => resolveIn(dir, s)) } : {}),
    ...(raw.jobs ? { jobs: raw.jobs } : {}),
  };
}

export function resolveIn(dir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dir, path);
}

/** ${VAR} and ${VAR:-default} from the environment. */
export function expandEnv(text: string, env: NodeJS.ProcessEnv = process.env): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, def?: string) => {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (def !== undefined) return def;
    throw new CalspecError(`environment variable ${name} is not set (used in a targets file URL)`, EXIT.usage);
  });
}
