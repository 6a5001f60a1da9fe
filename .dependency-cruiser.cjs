// The layer rules of the architecture (shared/reference/architecture.md, "Layer rules"), checked by `npm run lint` (dependency-cruiser).
// Paths are relative to the directory depcruise runs in (the repository root). Type-only imports count
// (tsPreCompilationDeps): a layer that names another's types depends on it as much as one that calls it.

/** Any module of this repository (as opposed to npm packages and node: built-ins). */
const INTERNAL = '^(src|test|bench|bin)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import cycle makes module initialisation order matter (a half-initialised binding is undefined at ' +
        'load time) and welds its layers into one: no cycle anywhere in src/.',
      from: { path: '^(src|sdk)/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'An import the checker cannot resolve escapes every other rule (and fails at run time): fix the path, ' +
        'or install the package.',
      from: { path: '^(src|sdk)/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'contract-self-contained',
      severity: 'error',
      comment:
        'src/contract is the wire contract every layer shares: it imports nothing internal outside src/contract, ' +
        'so it can never depend on how the service implements it.',
      from: { path: '^src/contract/' },
      to: { path: INTERNAL, pathNot: '^src/contract/' },
    },
    {
      name: 'db-only-db',
      severity: 'error',
      comment:
        'src/db is the bottom layer: it imports only src/db (and src/contract types). Errors it raises are its ' +
        'own classes, which http renders; it never reaches up into platform, accounts or the engine.',
      from: { path: '^src/db/' },
      to: { path: INTERNAL, pathNot: '^src/(db|contract)/' },
    },
    {
      name: 'platform-low',
      severity: 'error',
      comment:
        'src/platform (config, keys, urls, errors) sits just above db: it imports only platform, db and contract. ' +
        'The one exception is src/platform/services.ts, the composition root, which wires everything.',
      from: { path: '^src/platform/', pathNot: '^src/platform/services\\.ts$' },
      to: { path: INTERNAL, pathNot: '^src/(platform|db|contract)/' },
    },
    {
      name: 'engine-resources-not-outer',
      severity: 'error',
      comment:
        'The engine and the resources are the core: they never import the layers that sit on them ' +
        '(http, worker, main) nor the built-in sandboxes.',
      from: { path: '^src/(engine|resources)/' },
      to: { path: '^src/(http|worker|main|sandbox)/' },
    },
    {
      name: 'engine-names-no-resource',
      severity: 'error',
      comment:
        'The engine is generic over resources: it names none (src/engine never imports src/resources); ' +
        'resources are handed to it through the composition root.',
      from: { path: '^src/engine/' },
      to: { path: '^src/(resources/|catalog\\.ts$)' },
    },
    {
      name: 'tsp-own-folder',
      severity: 'error',
      comment:
        'A TSP adapter (src/tsps/<tsp>/) imports only src/contract, src/tsps/kit and its own folder: no TSP ' +
        'imports another, and none reaches into the engine, db, http or accounts. (src/tsps/registry.ts, ' +
        'outside every TSP folder, may import them all.)',
      from: { path: '^src/tsps/(?!kit/)([^/]+)/' },
      to: { path: INTERNAL, pathNot: '^src/(contract|tsps/kit|tsps/$1)/' },
    },
    {
      name: 'tsps-kit-self-contained',
      severity: 'error',
      comment: 'src/tsps/kit is what every TSP adapter shares: it imports only src/contract and itself, never a TSP.',
      from: { path: '^src/tsps/kit/' },
      to: { path: INTERNAL, pathNot: '^src/(contract|tsps/kit)/' },
    },
    {
      name: 'sandbox-independent',
      severity: 'error',
      comment:
        'A sandbox is a fake of the TSP written from its documentation: it imports nothing from src/tsps (a fake ' +
        'that shares the adapter\'s tables can never disagree with it), nor from the engine, accounts, ' +
        'resources, http, worker or main.',
      from: { path: '^src/sandbox/' },
      to: { path: '^src/(tsps|engine|accounts|resources|http|worker|main)/' },
    },
    {
      name: 'no-product-to-sandbox',
      severity: 'error',
      comment:
        'Product code does not depend on the sandboxes: only where the app mounts them (src/http/app.ts, ' +
        'src/main/**, the composition root src/platform/services.ts) may import src/sandbox.',
      from: { path: '^src/', pathNot: '^src/(sandbox/|main/|http/app\\.ts$|platform/services\\.ts$)' },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'http-worker-not-main',
      severity: 'error',
      comment: 'http and worker sit on the engine; only src/main wires everything, so nothing below imports it.',
      from: { path: '^src/(http|worker)/' },
      to: { path: '^src/main/' },
    },
    {
      name: 'sdk-standalone',
      severity: 'error',
      comment:
        'The client (sdk/src) is a package of its own that partners run without the server: it imports only ' +
        'sdk/src and npm packages. Its generator (sdk/scripts) builds the OpenAPI document from src/, so it may.',
      from: { path: '^sdk/src/' },
      to: { path: '^(src|test|bench|bin)/|^sdk/(?!src/)' },
    },
    {
      name: 'src-not-test-bench',
      severity: 'error',
      comment: 'Shipped code never imports test/ or bench/ (helpers, fixtures and benchmarks are not product).',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    moduleSystems: ['es6', 'cjs'],
    // Count `import type` and type-only re-exports: a layer rule is about names, not about emitted JS.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
