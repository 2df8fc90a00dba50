// Running one scenario: gate on features and users, create its calendar, run setup → steps →
// teardown, grade, and remove what it created (also when it failed).
import type { ScenarioSpec, StepSpec, SuiteSpec } from '../model/suite.js';
import type { ScenarioResult, StepResult } from '../model/result.js';
import type { Feature } from '../model/profile.js';
import { readFileSync } from 'node:fs';
import { interpolate } from '../yaml/template.js';
import { escapeText } from '../xml/write.js';
import { calendarVerdict, gradeSteps, unjudgedResult } from './grade.js';
import { runStep, type StepEnv } from './step.js';
import { ScenarioVariables, type UserContext } from './variables.js';
import type { RunEnv } from './run-env.js';
import { sweepByUid } from '../dav/account-sweep.js';
import { sharedModeSkip } from './shared-skip.js';

export function skipReason(suite: SuiteSpec, scenario: ScenarioSpec, env: RunEnv): string | undefined {
  const features = [...new Set<string>([...suite.requires, ...scenario.requires])];
  // Pinned off by the profile; probed absent (never "broken": a broken claim must be tested).
  const pinned = features.filter((f) => {
    const c = env.capabilities?.get(f);
    return c ? c.state === 'absent' && c.source === 'profile' : env.features[f as Feature] === false;
  });
  const probed = features
    .map((f) => env.capabilities?.get(f))
    .filter((c) => c?.state === 'absent' && c.source !== 'profile');
  const lacks = [
    ...(pinned.length
      ? [
          `target lacks feature${pinned.length > 1 ? 's' : ''}: ` +
            `${pinned.join(', ')}${env.profileName ? ` (profile ${env.profileName})` : ''}`,
        ]
      : []),
    ...probed.map((c) => `target lacks ${c!.feature}: ${c!.evidence}`),
  ];
  if (lacks.length) return lacks.join('; ');
  const shared = env.shared && sharedModeSkip(suite, scenario, env.shared);
  if (shared) return shared;
  if (scenario.accountWrites && !env.allowAccountWrites) {
    return (
      'writes outside the sandbox (e.g. scheduling delivers to another user): ' +
      'pass --allow-account-writes to run it'
    );
  }
  if (scenario.users > env.users.length) {
    return env.singleUserReason ?? 'needs a second user: pass --user2/--password2 (or CALSPEC_USER2/CALSPEC_PASSWORD2)';
  }
  return undefined;
}

export async function runScenario(
  suite: SuiteSpec,
  scenario: ScenarioSpec,
  index: number,
  env: RunEnv,
): Promise<ScenarioResult> {
  const started = performance.now();
  const result: ScenarioResult = unjudgedResult(suite, scenario);
  const skip = skipReason(suite, scenario, env);
  if (skip) return { ...result, grade: 'skipped', reason: skip };

  const token = index.toString(36).padStart(3, '0');
  const users: UserContext[] = env.users;
  const vars = new ScenarioVariables({
    runId: env.runId,
    token,
    scenarioId: scenario.id,
    basePath: new URL(env.baseUrl).pathname,
    anchor: env.anchor,
    users,
    cal: '',
  });
  const cal = env.shared?.calendar ?? `${users[0]!.home}${vars.prefix}/`;
  vars.init.cal = cal;
  const owner = result.key;
  const stepEnv: StepEnv = {
    client: env.client,
    sandbox: env.sandbox,
    vars,
    baseUrl: env.baseUrl,
    auths: env.auths,
    owner,
    unfenced: scenario.accountWrites,
    // In a shared calendar, checks judge only this scenario's objects (src/checks/scope.ts).
    ...(env.shared ? { scope: { objectPrefix: vars.lookup('obj')!, calendar: cal } } : {}),
    ...(env.signal ? { signal: env.signal } : {}),
  };

  const steps: StepResult[] = result.steps;
  try {
    if (scenario.calendar && !env.shared) {
      const made = await createCalendar(scenario, cal, stepEnv, result.key);
      steps.push(...made);
      const verdict = calendarVerdict(made, { key: result.key, interrupted: Boolean(env.signal?.aborted) });
      if (verdict) return Object.assign(result, verdict);
    }
    let failed = false;
    for (const [phase, list] of [
      ['setup', scenario.setup],
      ['step', scenario.steps],
    ] as const) {
      for (const step of list) {
        if (failed || env.signal?.aborted) break;
        const r = await runStep(step, phase, stepEnv);
        steps.push(r);
        failed = Boolean(r.error) || Boolean(r.assumptionFailed) || r.checks.some((c) => !c.ok);
      }
    }
    for (const step of scenario.teardown) steps.push(await runStep(step, 'teardown', stepEnv));
    Object.assign(
      result,
      gradeSteps(steps, scenario.level, scenario.mode, { key: result.key, interrupted: Boolean(env.signal?.aborted) }),
    );
    if (
      env.signal?.aborted &&
      result.grade === 'passed' &&
      steps.length < scenario.setup.length + scenario.steps.length
    ) {
      result.grade = 'errored';
      result.reason = 'interrupted';
    }
  } finally {
    if (!env.keep) await env.sandbox.remove(owner);
    if (!env.keep && scenario.accountWrites) {
      // Copies the server made elsewhere (another user's inbox) carry this scenario's UIDs.
      for (const [i, user] of users.entries()) {
        const removed = await sweepByUid(env.client, env.baseUrl, user.home, env.auths[i]!, vars.prefix).catch(
          () => [],
        );
        env.sandbox.record.removed.push(...removed);
      }
    }
    result.durationMs = Math.round(performance.now() - started);
  }
  return result;
}

/**
 * MKCALENDAR for the scenario calendar, then (when it answered 2xx) a Depth 0 PROPFIND showing that a
 * calendar collection really exists there (RFC 4791 §4.2: its resourcetype holds CALDAV:calendar).
 * Any 2xx will do: whether MKCALENDAR answers exactly 201 is rfc4791/5.3.1's verdict, not every
 * scenario's. The grade of a failure here is calendarVerdict's (grade.ts).
 */
async function createCalendar(scenario: ScenarioSpec, cal: string, env: StepEnv, key: string): Promise<StepResult[]> {
  let body = scenario.calendarBody;
  if (body?.startsWith('@file:')) body = readFileSync(body.slice(6), 'utf8');
  body = body === undefined ? defaultCalendarBody(env.vars.init.runId, key) : interpolate(body, env.vars.lookup);
  const xml = { 'Content-Type': 'application/xml; charset=utf-8' };
  const step = (name: string, request: StepSpec['request'], checks: [string, unknown][]): StepSpec => ({
    name,
    request,
    assumptions: [],
    checks: checks.map(([kind, args]) => ({ kind, args, pos: scenario.pos })),
    captures: [],
    pos: scenario.pos,
  });
  const made = await runStep(
    step(`MKCALENDAR ${cal} (scenario calendar)`, { method: 'MKCALENDAR', path: cal, body, headers: xml }, [
      ['status', '2xx'],
    ]),
    'calendar',
    env,
  );
  if (made.error || made.checks.some((c) => !c.ok)) return [made];
  const propfind = step(
    `PROPFIND ${cal} (is the scenario calendar a calendar?)`,
    { method: 'PROPFIND', path: cal, body: RESOURCETYPE, headers: { ...xml, Depth: '0' } },
    [
      ['status', 207],
      ['propstat', { prop: 'd:resourcetype', contains: 'c:calendar' }],
    ],
  );
  return [made, await runStep(propfind, 'calendar', env)];
}

const RESOURCETYPE = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>`;

/** The displayname marks the collection as calspec's, for `calspec cleanup` after a killed run. */
export function defaultCalendarBody(runId: string, key: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:set><d:prop><d:displayname>${escapeText(`calspec sandbox ${runId} ${key}`)}</d:displayname></d:prop></d:set>
</c:mkcalendar>`;
}
