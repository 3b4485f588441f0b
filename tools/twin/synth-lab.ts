/**
 * Synthesizes the reference homelab for the twin: the committed model with the twin's SSH key
 * (the committed synth-out/ carries an example key nobody holds the private half of), and images
 * pinned by tag only: a stand-in image can never carry upstream's manifest digest, and Docker refuses
 * to import an image under a digest reference (pinImageDigests: false, a LabProps option).
 * With a third argument, qBittorrent's VPN provider key is the twin's (media.vpn.peerPublicKey, the
 * model's own prop): the twin's stand-in provider (internet.ts) holds its private half, where the
 * reference lab's example key has none. Endpoint, tunnel address and DNS stay the model's defaults.
 * With a fourth, the WireGuard server's example peer has the twin's key (security.wireguard.peers,
 * the same name and address), so the twin's phone (phone.ts) can dial in.
 * usage: node --import tsx tools/twin/synth-lab.ts <outdir> <ssh public key> [vpn provider public key [peer public key]]
 */
import { App } from '../../lib/cdktf';
import { synthesize } from '../../integrations/synth';
import { Homelab } from '../../constructs/homelab';
import { EXAMPLE_PEER } from '../../constructs/security/wireguard-server';

const [outdir, key, vpnPublicKey, peerPublicKey] = process.argv.slice(2);
if (!outdir || !key) {
  process.stderr.write('usage: synth-lab.ts <outdir> <ssh public key> [vpn provider public key]\n');
  process.exit(2);
}
synthesize(
  (app: App) =>
    void new Homelab(app, 'homelab', {
      sshPublicKeys: [key],
      pinImageDigests: false,
      ...(vpnPublicKey ? { media: { vpn: { peerPublicKey: vpnPublicKey } } } : {}),
      ...(peerPublicKey ? { security: { wireguard: { peers: [{ ...EXAMPLE_PEER, publicKey: peerPublicKey }] } } } : {}),
    }),
  { outdir },
);
