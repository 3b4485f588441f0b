import type { App } from './lib/cdktf';
import { runSynth } from './integrations/synth';
import { Homelab } from './constructs/homelab';

/**
 * The reference homelab with example values. Change the props (or build your own Lab) to describe
 * your lab; see README "Customize" and "Your own lab".
 *
 * The default export is the lab builder `homelab-cdk synth|check|list|graph|diff` load (the app
 * contract); run as the main module (`npm run synth`, `cdktf synth`) the file synthesizes itself.
 */
export default function build(app: App): void {
  new Homelab(app, 'homelab');
}

if (require.main === module) runSynth(build);
