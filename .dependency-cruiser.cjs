// The floor plan of src/, checked by `npm run check` (dependency-cruiser): each folder (or root
// module) may import only what sits on a lower floor, never one above it nor a neighbour on its own
// floor, and no file may import itself round a cycle. Type-only imports count.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

/** Lowest floor first. A name is a folder under src/ or a module at its root. */
const FLOORS = [
  ['units', 'version', 'interner', 'seeded-random'], // plain helpers, no hook-catch types
  ['errors'], // the one error type
  ['defaults'], // one source for every default
  ['capture'], // what a request is: the capture, ids, body views, records, headers
  ['wire'], // the wire contract: every API answer and stream message, types only
  ['store'], // the request log on disk
  ['diff'], // structural diffs of two captures: bodies (JSON, forms, text, bytes) and headers
  ['signatures'], // signature schemes and verdicts
  ['send'], // the shared HTTP sender (replay, forward, deliver, polls)
  ['rules'], // response rules and rules.json
  ['jobs'], // job correlation, jobs.json, waiting, polling (jobs/poll)
  ['event-types'], // what kind of event a capture is (headers, body fields, status words, --event-path)
  ['schema-check'], // a capture's body against the user's spec (--schema, check --schema): OpenAPI webhooks, JSON Schemas
  ['drift'], // payload drift: a field model per event type, new, missing and retyped fields, drift.json
  ['replay'],
  ['forward'],
  ['deliver'],
  ['receiver'], // the receiving server: capture, answer, rules, forward in wait mode
  ['provider'], // the provider port: a reverse proxy to the provider that records each call (--provider)
  ['fixtures'], // fixture and HAR files, import and export
  ['scenario'], // scenario@1 files: one async job, recorded (export --scenario)
  ['tunnel'], // the public URL
  ['terminal'], // the lines a user reads
  ['events', 'route'], // what a running hook-catch announces; the route every stored request takes
  ['payload-types'], // types inferred from captures' payloads: the merged shapes, TypeScript, zod, JSON Schema
  ['inspector'], // the API, the page and the live stream
  ['options'], // start()'s options, resolved and checked
  ['servers', 'teardown'],
  ['test-kit'],
  ['mock'], // the provider double: plays scenarios back offline (hook-catch mock, mockProvider)
  ['start'], // the only module that knows all the parts
  ['client'], // the HTTP client of a running instance's API, found by its instance file (the CLI's quick commands, the MCP server)
  ['mcp'], // the MCP server (hook-catch mcp): tools over the running instance's API, or over one it starts
  ['cli'],
  ['index'], // the library's entry
];

const pathOf = (name) => (existsSync(join(__dirname, 'src', name)) ? `^src/${name}/` : `^src/${name}\\.ts$`);
const any = (names) => `(${names.map(pathOf).join('|')})`;

const upward = FLOORS.flatMap((floor, i) =>
  floor.flatMap((name) => {
    const above = FLOORS.slice(i + 1).flat();
    const neighbours = floor.filter((other) => other !== name);
    if (above.length + neighbours.length === 0) return [];
    return {
      name: `floor-${name}`,
      comment: `src/${name} may import only lower floors (see FLOORS in .dependency-cruiser.cjs)`,
      severity: 'error',
      from: { path: pathOf(name) },
      to: { path: any([...above, ...neighbours]) },
    };
  }),
);

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'no file imports itself round a cycle', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'unplaced',
      comment: 'every folder and root module of src/ has a floor in FLOORS',
      severity: 'error',
      from: { path: '^src/', pathNot: any(FLOORS.flat()) },
      to: {},
    },
    {
      name: 'unplaced-import',
      comment: 'nothing imports a module of src/ that has no floor in FLOORS',
      severity: 'error',
      from: {},
      to: { path: '^src/', pathNot: any(FLOORS.flat()) },
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
