import { runSynth } from './lib/cli';
import { buildSmallLab } from './examples/small-lab';

// Entry point of `npm run synth` and `cdktf synth`: describe your lab here.
runSynth((app) => {
  buildSmallLab(app);
});
