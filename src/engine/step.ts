// Executing one step: build the request from its template, send it, judge it, capture from it,
// and keep the sandbox ledger up to date.
import { readFileSync } from 'node:fs';
import type { StepSpec } from '../model/suite.js';
import type { StepPhase, StepResult } from '../model/result.js';
import { contextFor, evaluateCheck, type ObjectScope } from '../checks/run.js';
import { CAPTURES } from '../checks/capture.js';
import { interpolate } from '../yaml/template.js';
import type { Authenticator } from '../dav/auth.js';
import type { DavClient } from '../dav/http.js';
import type { Sandbox } from '../dav/sandbox.js';
import { targetUrl } from '../dav/target.js';
import type { ScenarioVariables } from './variables.js';

export interface StepEnv {
  client: DavClient;
  sandbox: Sandbox;
  vars: ScenarioVariables;
  baseUrl: string;
  auths: Authenticator[];
  owner: string;
  signal?: AbortSignal;
  /** Scenario allowed to write outside the sandbox (accountWrites + --allow-account-writes). */
  unfenced?: boolean;
  /** Shared-calendar mode: checks judge only the scenario's own objects. */
  scope?: ObjectScope;
}

/** Deeply interpolate strings in check arguments; `...File` keys are read from fixtures first. */
export function interpolateArgs(value: unknown, lookup: (n: string) => string | undefined): unknown {
  if (typeof value === 'string') return interpolate(value, lookup);
  if (Array.isArray(value)) return value.map((v) => interpolateArgs(v, lookup));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k.endsWith('File') && typeof v === 'string')
        out[k.slice(0, -4)] = interpolate(readFileSync(v, 'utf8'), lookup);
      else out[interpolate(k, lookup)] = interpolateArgs(v, lookup);
    }
    return out;
  }
  return value;
}

export async function runStep(step: StepSpec, phase: StepPhase, env: StepEnv): Promise<StepResult> {
  const result: StepResult = { name: step.name, phase, checks: [] };
  const at = `${step.pos.file}:${step.pos.line}:${step.pos.col}`;
  let url: string;
  let headers: Record<string, string>;
  let body: string | undefined;
  try {
    const req = step.request;
    // Sent as written (dot segments and all): robustness scenarios mean exactly that request-target.
    url = targetUrl(interpolate(req.path, env.vars.lookup), env.baseUrl);
    headers = Object.fromEntries(
      Object.entries(req.headers ?? {}).map(([k, v]) => [k, interpolate(v, env.vars.lookup)]),
    );
    if (headers.Destination ?? headers.destination) {
      const key = headers.Destination !== undefined ? 'Destination' : 'destination';
      headers[key] = targetUrl(headers[key]!, env.baseUrl);
    }
    if (req.body !== undefined) body = interpolate(req.body, env.vars.lookup);
    if (req.bodyFile !== undefined) body = interpolate(readFileSync(req.bodyFile, 'utf8'), env.vars.lookup);
  } catch (error) {
    result.error = `${at}: ${(error as Error).message}`;
    return result;
  }
  const method = step.request.method;
  const destination = headers.Destination ?? headers.destination;
  for (const target of [url, destination]) {
    if (target && !env.unfenced && !env.sandbox.allows(method, target)) {
      result.error = `${at}: refused: ${method} ${new URL(target).pathname} is outside this run's sandbox`;
      return result;
    }
  }
  const auth = step.request.anonymous ? undefined : env.auths[(step.request.as ?? 1) - 1];
  if (!step.request.anonymous && !auth) {
    result.error = `${at}: step needs user ${step.request.as} but none is configured`;
    return result;
  }
  // Recorded before sending: an error answer, or none, does not prove that nothing was created.
  env.sandbox.note(method, url, destination, auth ?? env.auths[0], env.owner);
  const exchange = await env.client.send({
    method,
    url,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(auth ? { auth } : {}),
    ...(env.signal ? { signal: env.signal } : {}),
    followRedirects: step.request.followRedirects ?? false,
    // A redirected write must stay inside the sandbox like the original request.
    allowRedirect: (m: string, u: string) => {
      const allowed = env.unfenced || env.sandbox.allows(m, u);
      if (allowed) env.sandbox.note(m, u, undefined, auth ?? env.auths[0], env.owner);
      return allowed;
    },
  });
  result.exchange = exchange;
  const status = exchange.response?.status;
  if (method === 'DELETE' && status !== undefined && status < 300) env.sandbox.forget(url);
  if (!exchange.response || exchange.response.truncated) {
    // A body cut at --max-body cannot be judged: checks on half a document would blame the server.
    result.error = `${method} ${new URL(url).pathname}: ${exchange.error}`;
    return result;
  }
  const ctx = contextFor(exchange, env.baseUrl, env.scope);
  for (const assumption of step.assumptions) {
    const at = `${assumption.pos.file}:${assumption.pos.line}:${assumption.pos.col}`;
    let outcome;
    try {
      outcome = evaluateCheck(assumption.kind, interpolateArgs(assumption.args, env.vars.lookup), ctx, at);
    } catch (error) {
      result.error = `${at}: ${(error as Error).message}`;
      return result;
    }
    if (!outcome.ok) {
      result.assumptionFailed = `${outcome.description}: got ${outcome.actual.split('\n')[0]}`;
      return result;
    }
  }
  for (const check of step.checks) {
    const checkAt = `${check.pos.file}:${check.pos.line}:${check.pos.col}`;
    let args: unknown;
    try {
      args = interpolateArgs(check.args, env.vars.lookup);
    } catch (error) {
      result.error = `${checkAt}: ${(error as Error).message}`;
      return result;
    }
    result.checks.push(evaluateCheck(check.kind, args, ctx, checkAt));
  }
  if (exchange.error) result.error = `${method} ${new URL(url).pathname}: ${exchange.error}`;
  if (result.checks.some((c) => !c.ok)) return result;
  for (const capture of step.captures) {
    try {
      const kind = CAPTURES.get(capture.kind)!;
      const value = kind.extract(interpolateArgs(capture.args, env.vars.lookup), ctx.view, env.baseUrl);
      env.vars.captured.set(capture.name, value);
      (result.captured ??= {})[capture.name] = value;
    } catch (error) {
      result.error =
        `${capture.pos.file}:${capture.pos.line}:${capture.pos.col}: ` +
        `capture '${capture.name}' failed: ${(error as Error).message}`;
      return result;
    }
  }
  return result;
}
