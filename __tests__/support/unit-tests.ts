/**
 * The test files of `npm run test:unit`: pure tests that synthesize in memory or into a temp dir and
 * assert on the result, with no real tool (no terraform or its stand-in, promtool, amtool, nginx,
 * ansible, network namespaces, LXC). Seconds, on any machine with node. `npm test` runs these and
 * every other file; __tests__/foundation/unit-tests.test.ts keeps this list honest.
 */
export const UNIT_TESTS: readonly string[] = [
  '__tests__/business/fileserver-datasets.test.ts',
  '__tests__/business/immich.test.ts',
  '__tests__/foundation/backups.test.ts',
  '__tests__/foundation/bad-input.test.ts',
  '__tests__/foundation/catalog-conventions.test.ts',
  '__tests__/foundation/core.test.ts',
  '__tests__/foundation/docker-host-sizing.test.ts',
  '__tests__/foundation/first-apply.test.ts',
  '__tests__/foundation/generated-marker.test.ts',
  '__tests__/foundation/homelab.test.ts',
  '__tests__/foundation/host-files.test.ts',
  '__tests__/foundation/image-digest.test.ts',
  '__tests__/foundation/lab-defaults.test.ts',
  '__tests__/foundation/mistakes.test.ts',
  '__tests__/foundation/placement.test.ts',
  '__tests__/foundation/schema.test.ts',
  '__tests__/foundation/unit-tests.test.ts',
  '__tests__/foundation/validation.test.ts',
  '__tests__/foundation/values.test.ts',
  '__tests__/media/overrides.test.ts',
  '__tests__/media/requests.test.ts',
  '__tests__/media/services.test.ts',
  '__tests__/media/shared-data.test.ts',
  '__tests__/monitoring/alert-rules-generated.test.ts',
  '__tests__/monitoring/grafana-glance.test.ts',
  '__tests__/monitoring/logs.test.ts',
  '__tests__/monitoring/promql.test.ts',
  '__tests__/monitoring/services.test.ts',
  '__tests__/network/capabilities.test.ts',
  '__tests__/network/firewall.test.ts',
  '__tests__/network/nftables-mask.test.ts',
  '__tests__/network/vpn-validation.test.ts',
  '__tests__/security/security-stack.test.ts',
  '__tests__/terraform/standin-unit.test.ts',
];

/**
 * What a test file that runs a real tool imports or calls; a unit test file contains none of these.
 * (The Terraform stand-in runs a real terraform binary; its pure helpers may be imported.)
 */
export const REAL_TOOL_MARKERS: readonly RegExp[] = [
  /describeWithTools|requireTool|haveHostTool|runInController/,
  /node:child_process|spawnSync|execFileSync|execSync/,
  /\brunStack\(|StandinTerraform|\bstandin\(/,
  /netns|live-support/,
  /\brun\('(promtool|amtool|nginx|ansible|terraform)/,
];
