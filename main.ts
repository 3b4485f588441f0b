import { runSynth } from './integrations/synth';
import { Homelab } from './constructs/homelab';

// Entry point of `npm run synth` and `cdktf synth`: the reference homelab with example values.
// Change the props (or build your own Lab) to describe your lab; see README "Customize".
runSynth((app) => {
  new Homelab(app, 'homelab');
});
