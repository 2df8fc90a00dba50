// `--help` text. Kept next to the commands so it stays true.
export const MAIN_HELP = `calspec — CalDAV conformance and load tester

Usage: calspec <command> [options]

Commands:
  run [SUITES...]        run conformance suites against a target (default: all of suites/)
  demo                   start the embedded reference server, run every suite against it, write reports
  serve                  run the embedded reference CalDAV server (in-memory, with optional faults)
  report FILE            re-render a results.json as html, junit, markdown (no requests sent)
  validate [SUITES...]   load and validate suite files only (exit 2 with file:line:col on error)
  checks                 list the check kinds suites can use
  list [SUITES...]       list scenarios (key, level, RFC section, features); same selection as run
  diff A.json B.json     compare two runs' results.json: new failures (exit 1), fixed, changed
  coverage [SUITES...]   requirements covered / testable / total per RFC section (suites/catalogue/)
  discover URL           probe what a server implements; grade each feature; --write-profile draft
  matrix TARGETS.yaml    run the suites against several servers: matrix.json, index.html, summary.md
  baseline update        rewrite a baseline (file or profile) of known failures from a run's results
  load WORKLOAD          stress the REPORT path with a client-like workload (closed or open model)
  merge A.json B.json    combine load shard results losslessly (encoded histograms)
  cleanup URL            find (and with --yes remove) run-prefixed collections and objects runs left

Exit codes: 0 all passed or expected; 1 unexpected failures; 2 bad usage or invalid suite/profile;
            3 target unreachable, TLS or auth failure, or not CalDAV; 4 interrupted; 70 internal error.

Run 'calspec <command> --help' for a command's options.`;

export const RUN_HELP = `Usage: calspec run --target URL --user NAME [options] [SUITES...]

Runs scenarios (files or folders of suites/*.yaml; default: the bundled suites/) against URL.
Each scenario works in its own calendar, created under the user's calendar home with a name
starting 'calspec-<run-id>'; everything the run creates is deleted at the end, also on failure
and on Ctrl-C (a second Ctrl-C exits at once and lists what may be left).
First it probes the optional capabilities the selected scenarios need and the profile does not pin
(LOCK, COPY/MOVE, VFREEBUSY storage, the CALDAV limit properties...; a few seconds, at most 30):
scenarios needing an absent one are skipped with the evidence; one the target advertises but
breaks (DAV class 2 without a working LOCK) is not absent, so its scenarios run and fail.

Target and credentials:
  -t, --target URL         server URL to discover from (or CALSPEC_TARGET)
  -u, --user NAME          user (or CALSPEC_USER)
      --password-file F    read the password from a file (preferred); or CALSPEC_PASSWORD; or
      --password PW        (visible in the process list; avoid on shared machines)
      --user2 NAME         second user for multi-user scenarios (CALSPEC_USER2), with
      --password2-file F / CALSPEC_PASSWORD2 / --password2 PW
      --auth KIND          basic | digest | bearer | auto (default auto: Basic, Digest when challenged)
      --no-auth            send no credentials (servers without authentication)
  -k, --insecure           do not verify TLS certificates (verification is on by default)
      --ca FILE            trust the CA certificates in FILE (PEM)
  -p, --profile NAME|FILE  server profile (fixtures/profiles/NAME.yaml): features, layout, baseline
  -b, --baseline FILE      known failures (YAML); overrides the profile's baseline
      --no-baseline        ignore the profile's baseline

Run control:
  -f, --filter REGEX       only scenarios whose key (rfc4791/7.8/<id>) matches
      --level LEVEL        only this level: MUST | MUST-NOT | SHOULD | SHOULD-NOT | MAY (repeatable)
      --rfc N              only this RFC, e.g. 4791 (repeatable)
      --section S          only this RFC section and its subsections: 9.6 selects 9.6.5 (repeatable)
      --feature NAME       only scenarios that require this profile feature, e.g. lock (repeatable)
      --exclude REGEX      drop scenarios whose key matches (repeatable); 'calspec list' previews
  -j, --jobs N             scenarios in parallel (default 4)
      --timeout MS         per-request timeout (default 30000)
      --max-body BYTES     response size cap (default 16777216)
      --no-keep-alive      every request on a new connection; without it, a few OPTIONS first
                           compare fresh and reused connections and switch keep-alive off when
                           reused ones are much slower (the reports say so)
      --strict             SHOULD-level violations fail the run too
      --keep               keep the sandbox collections for debugging (printed at the end)
      --allow-account-writes  run scenarios that make the server write outside the sandbox
                           (scheduling delivers into the other user's inbox); off by default
      --name LABEL         label for this target in reports and matrices
      --no-probe           do not probe capabilities: what the profile does not pin counts as present
      --calendar URL       shared-calendar mode: work in this existing calendar (objects named
                           calspec-<run-id>-…, nothing else touched); scenarios that need a calendar
                           of their own are skipped with the reason. Also entered when the profile
                           sets mkcalendar: false with layout.calendar, or MKCALENDAR is seen to fail

Output:
  -o, --out DIR            report folder (default reports/<run-id>)
  -r, --reporter LIST      console,json,junit,html,markdown (default: all)
  -q, --quiet              console: print only scenarios that did not pass

Config file:
      --config FILE        YAML holding any of the options above, keyed like the long flags
                           (target:, user:, password-file:, profile:, jobs: 8, reporter: [json, junit],
                           level: [MUST], no-keep-alive: true, suites: [dir, ...]); default
                           ./calspec.config.yaml when present. Command-line options override the file
                           (a list flag replaces the file's list). 'password' is refused (exit 2):
                           use password-file or CALSPEC_PASSWORD. Relative paths are taken from the
                           file's folder. Unknown keys exit 2 with file:line:col.`;

export const SERVE_HELP =
  `Usage: calspec serve [--port N] [--host H] ` +
  `[--users a:pw,b:pw] [--layout plain|nextcloud|google] [--fault NAME ...]

Runs the embedded reference CalDAV server in memory until Ctrl-C. Prints its base URL.
  --port N          port (default 5233; 0 picks a free port)
  --users LIST      user:password pairs (default test:test,user1:pass1)
  --layout L        URL layout: plain (default), nextcloud, google (Bearer auth)
  --fault NAME      inject a protocol violation (repeatable); --list-faults shows them`;

export const DEMO_HELP = `Usage: calspec demo [--out DIR] [--fault NAME ...] [-r REPORTERS] [-q]

Starts the embedded reference server on a free loopback port, runs every bundled suite against
it with two users, writes reports (default reports/<run-id>/), prints the summary and the report
paths, and stops the server. This is what 'npm start' runs.`;

export const REPORT_HELP = `Usage: calspec report RESULTS.json [-r html,junit,markdown] [-o DIR]

Re-renders a results file (conformance, load or matrix) without sending any request.
Default output folder: the folder of RESULTS.json.
A missing, truncated or mis-kinded file, or one whose load histograms do not decode, exits 2 with
one line naming the file and the problem.`;
