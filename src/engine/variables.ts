// The variables a scenario sees: builtins from discovery and the sandbox, unique ids, relative
// dates, and values captured by earlier steps.
import { relativeDate } from '../yaml/template.js';

export interface UserContext {
  user: string;
  principal: string;
  home: string;
  email: string;
}

export interface ScenarioVariablesInit {
  runId: string;
  /** Short per-scenario token, unique within the run. */
  token: string;
  scenarioId: string;
  basePath: string;
  anchor: Date;
  users: UserContext[];
  cal: string;
}

export class ScenarioVariables {
  readonly captured = new Map<string, string>();

  constructor(readonly init: ScenarioVariablesInit) {}

  /** Root of names this scenario may create under user 1's home. */
  get prefix(): string {
    return `calspec-${this.init.runId}-${this.init.token}`;
  }

  lookup = (name: string): string | undefined => {
    const captured = this.captured.get(name);
    if (captured !== undefined) return captured;
    const [u1, u2] = this.init.users;
    switch (name) {
      case 'cal':
        return this.init.cal;
      case 'home':
        return u1?.home;
      case 'principal':
        return u1?.principal;
      case 'user':
        return u1?.user;
      case 'email':
        return u1?.email;
      case 'home2':
        return u2?.home;
      case 'principal2':
        return u2?.principal;
      case 'user2':
        return u2?.user;
      case 'email2':
        return u2?.email;
      case 'runid':
        return this.init.runId;
      case 'base':
        return this.init.basePath;
      case 'scenario':
        return this.init.scenarioId;
      case 'uid':
        return `${this.prefix}@calspec`;
      case 'obj':
        // Object names carry the run and scenario, so they never collide in a shared calendar and
        // `calspec cleanup` can recognise them wherever a misbehaving server put them.
        return `${this.prefix}-`;
    }
    if (name.startsWith('uid:')) return `${this.prefix}-${name.slice(4)}@calspec`;
    if (name.startsWith('coll:')) return `${u1?.home}${this.prefix}-${name.slice(5)}/`;
    return relativeDate(name, this.init.anchor);
  };
}
