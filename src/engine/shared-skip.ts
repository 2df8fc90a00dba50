// Which scenarios cannot run in shared-calendar mode, and why. The suites say it themselves
// (`ownCalendar: <reason>` on a scenario); the one rule read from the steps is mechanical: a
// scenario that creates collections of its own (`${coll:x}`) needs MKCALENDAR to work.
import type { ScenarioSpec, StepSpec, SuiteSpec } from '../model/suite.js';
import type { SharedMode } from './shared-mode.js';

/** Suites that test collection creation itself: their verdict is the point, so they always run. */
const CREATION_FEATURES = ['mkcalendar', 'mkcol', 'extended-mkcol'];

export function sharedModeSkip(suite: SuiteSpec, scenario: ScenarioSpec, shared: SharedMode): string | undefined {
  const mode = `shared-calendar mode (${shared.why})`;
  if (scenario.ownCalendar) return `needs a calendar of its own: ${scenario.ownCalendar}; ${mode}`;
  if (!shared.collections && createsCollections(scenario) && !suite.requires.some((f) => CREATION_FEATURES.includes(f)))
    return `needs collections of its own (\${coll:…}), which cannot be created here; ${mode}`;
  return undefined;
}

export function createsCollections(scenario: ScenarioSpec): boolean {
  const uses = (step: StepSpec) =>
    [step.request.path, ...Object.values(step.request.headers ?? {}), step.request.body ?? ''].some((t) =>
      t.includes('${coll:'),
    );
  return [...scenario.setup, ...scenario.steps, ...scenario.teardown].some(uses);
}
