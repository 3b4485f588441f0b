/**
 * The layers import one way (README, Architecture; ../shared/STYLE.md §12):
 *
 *   framework     lib/            the synth pipeline, output, problems, allocator, aspects, yaml, templates,
 *                                 the renderers (Ansible object model, nft, observability configs)
 *   model         constructs/core/ core L2s, value types, capability brands
 *   integrations  integrations/   policy over the model: flows, firewall, observation, lab-wide generators
 *   catalog       constructs/<stack>/, constructs/homelab.ts: the services and the four stacks
 *
 * A layer may import the layers above it in this list, never one below. `.gen/` (the L1 bindings)
 * sits beside the framework. Entry points (main.ts, examples/, tools/, bench/, scripts/, tests) may
 * import anything. Runtime cycles are refused everywhere. Type-only cycles (erased at run time) are
 * allowed only inside the model's core, where the Lab and its members name each other's types (the
 * Lab lists its containers, a container reads its Lab): 21 such cycles, all through lab.ts. Breaking
 * them needs interfaces for every core L2 (aws-cdk's IVpc pattern); until then the rule keeps them
 * from spreading to any other folder. A cycle across layers needs a wrong-way import anyway.
 */
const FRAMEWORK = '^lib/';
const MODEL = '^constructs/core/';
const INTEGRATIONS = '^integrations/';
const CATALOG = '^constructs/(?!core/)';
const GEN = '^\\.gen/';

module.exports = {
  forbidden: [
    {
      name: 'no-runtime-cycle',
      severity: 'error',
      comment: 'A runtime import cycle: modules load half-initialised. Break it (a leaf module, a type-only import, or a plugin).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-type-cycle-outside-model-core',
      severity: 'error',
      comment: 'An import cycle, if only through types: move the shared type into a module of its own (e.g. constructs/security/swag-route.ts).',
      from: { pathNot: MODEL },
      to: { circular: true },
    },
    {
      name: 'framework-imports-no-layer-below',
      severity: 'error',
      comment: 'The framework (lib/) knows nothing of the model, the integrations or the catalog: give it a structural type or a plugin hook instead.',
      from: { path: FRAMEWORK },
      to: { path: [MODEL, INTEGRATIONS, CATALOG] },
    },
    {
      name: 'model-imports-no-policy-or-catalog',
      severity: 'error',
      comment: 'The model (constructs/core/) must not import integrations or catalog services: declare a capability brand and let the policy read it.',
      from: { path: MODEL },
      to: { path: [INTEGRATIONS, CATALOG] },
    },
    {
      name: 'integrations-import-no-catalog',
      severity: 'error',
      comment: 'Integration policy decides by capabilities (constructs/core/capabilities.ts), never by importing a catalog service.',
      from: { path: INTEGRATIONS },
      to: { path: CATALOG },
    },
    {
      name: 'l1-bindings-import-nothing-of-ours',
      severity: 'error',
      from: { path: GEN },
      to: { path: [FRAMEWORK, MODEL, INTEGRATIONS, CATALOG] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve (a typo, a moved file).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports count for the layer rules: a framework that names a model type still depends on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.gen/providers/.*/.*\\.d\\.ts$)' },
    // conditionNames: package exports maps with require/import conditions (bin/homelab-cdk.cjs → tsx/cjs/api) resolve as Node's require does.
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.cjs', '.json'], exportsFields: ['exports'], conditionNames: ['require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
