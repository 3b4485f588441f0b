import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSmallLab } from '../../examples/small-lab';
import { SynthesizedLab, synthLab } from '../support/lab';

describe('the small lab, synthesized', () => {
  let out: SynthesizedLab;
  beforeAll(() => {
    out = synthLab((app) => buildSmallLab(app));
  });
  afterAll(() => out.cleanup());

  describe('Terraform', () => {
    it('writes one stack per LabStack plus infra', () => {
      const stacks = [...out.files.keys()].filter((p) => p.endsWith('cdk.tf.json')).sort();
      expect(stacks).toEqual(['stacks/infra/cdk.tf.json', 'stacks/media/cdk.tf.json', 'stacks/security/cdk.tf.json']);
    });

    it('pins bpg/proxmox 0.111.1 and keeps state out of synth-out', () => {
      const tf = out.stack('media').terraform;
      expect(tf.required_providers.proxmox).toEqual({ source: 'registry.terraform.io/bpg/proxmox', version: '0.111.1' });
      // .state/<output folder>/<lab>/<stack>.tfstate beside the output folder (support/lab.ts synthesizes into synth-out).
      expect(tf.backend.local.path).toBe('../../../.state/synth-out/homelab/media.tfstate');
    });

    it('reads Proxmox credentials from sensitive variables only', () => {
      const stack = out.stack('media');
      expect(stack.provider.proxmox[0].password).toBe('${var.proxmox_password}');
      expect(stack.variable.proxmox_password.sensitive).toBe(true);
      expect(JSON.stringify(stack)).not.toMatch(/"password":\s*"[^$]/);
    });

    it('lists the Terraform variables in terraform.tfvars.example, with no value for secrets', () => {
      const text = out.text('terraform.tfvars.example');
      expect(text).toContain('# Password of the Proxmox user (set TF_VAR_proxmox_password; never commit it). (sensitive)\nproxmox_password = "CHANGE_ME"');
      expect(text).toContain('# proxmox_username = "root@pam"');
    });

    it('makes every container unprivileged, explicitly', () => {
      for (const c of out.allContainers()) expect(c.unprivileged).toBe(true);
    });

    it('turns on nesting and keyctl for Docker hosts', () => {
      expect(out.container('media', 'sonarr').features).toEqual({ nesting: true, keyctl: true });
    });

    it('emits tags lowercase and sorted, as Proxmox returns them', () => {
      expect(out.container('media', 'sonarr').tags).toEqual(['docker', 'homelab', 'media']);
      for (const c of out.allContainers()) expect(c.tags).toEqual([...c.tags].sort());
    });

    it('downloads the Debian 13 template once per node and uses it everywhere', () => {
      const downloads = Object.values(out.resources('infra', 'proxmox_download_file')) as any[];
      expect(downloads).toHaveLength(1);
      expect(downloads[0]).toMatchObject({ content_type: 'vztmpl', datastore_id: 'local', node_name: 'pve', file_name: 'debian-13-standard_13.1-2_amd64.tar.zst' });
      for (const c of out.allContainers()) expect(c.operating_system.template_file_id).toBe('local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst');
    });

    it('makes service stacks depend on infra', () => {
      const manifest = JSON.parse(out.text('manifest.json'));
      expect(manifest.stacks.media.dependencies).toEqual(['homelab/infra']);
    });

    it('gives each container its planned address, gateway, DNS and the operator key', () => {
      const init = out.container('media', 'sonarr').initialization;
      expect(init.hostname).toBe('sonarr');
      expect(init.ip_config).toEqual([{ ipv4: { address: '10.10.0.21/24', gateway: '10.10.0.1' } }]);
      expect(init.dns.servers).toEqual(['10.10.0.1']);
      expect(init.user_account.keys[0]).toMatch(/^ssh-ed25519 /);
    });

    it('sizes containers and orders their start', () => {
      const c = out.container('media', 'sonarr');
      expect(c.cpu).toEqual({ cores: 2 });
      expect(c.memory).toEqual({ dedicated: 1024, swap: 512 });
      expect(c.disk).toEqual({ datastore_id: 'local-lvm', size: 8 });
      expect(c.startup).toEqual({ order: 50, up_delay: 0 });
      expect(c.vm_id).toBe(211);
    });

    it('bind-mounts the shared data volume where a service uses it', () => {
      expect(out.container('media', 'sonarr').mount_point).toEqual([{ path: '/data', read_only: false, shared: false, volume: '/tank/data' }]);
      expect(out.container('media', 'prowlarr').mount_point).toBeUndefined();
    });

    it('keeps Terraform addresses of stateful resources stable (construct ids are a contract)', () => {
      const addresses = [...out.files.keys()]
        .filter((p) => p.endsWith('cdk.tf.json'))
        .sort()
        .flatMap((p) => {
          const doc = JSON.parse(out.text(p));
          return Object.entries(doc.resource ?? {}).flatMap(([type, rs]) => Object.keys(rs as object).map((n) => `${p.split('/')[1]}: ${type}.${n}`));
        });
      expect(addresses).toMatchInlineSnapshot(`
        [
          "infra: proxmox_backup_job.nightly_BB938F26",
          "infra: proxmox_download_file.pve-debian-13-standard-13-1-2-amd64",
          "infra: proxmox_virtual_environment_cluster_firewall.DatacenterFirewall_Options_418A1BF6",
          "infra: proxmox_virtual_environment_firewall_rules.DatacenterFirewall_HostRules-pve_D10A90E8",
          "media: proxmox_virtual_environment_container.prowlarr_7E512B7B",
          "media: proxmox_virtual_environment_container.sonarr_4FC0BA08",
          "media: proxmox_virtual_environment_firewall_options.prowlarr_Firewall_Options_92A04B9A",
          "media: proxmox_virtual_environment_firewall_options.sonarr_Firewall_Options_CBED9EC6",
          "media: proxmox_virtual_environment_firewall_rules.prowlarr_Firewall_Rules_FDEB487B",
          "media: proxmox_virtual_environment_firewall_rules.sonarr_Firewall_Rules_B1FDDD9B",
          "security: proxmox_virtual_environment_container.vaultwarden_A7DE1711",
          "security: proxmox_virtual_environment_firewall_options.vaultwarden_Firewall_Options_4267E253",
          "security: proxmox_virtual_environment_firewall_rules.vaultwarden_Firewall_Rules_9F74A975",
        ]
      `);
    });
  });

  describe('Ansible', () => {
    it('puts every host in its stack group and role groups, with ansible_host = planned IP', () => {
      const inv = out.yaml('ansible/inventory/hosts.yml').all.children;
      expect(Object.keys(inv.media.hosts)).toEqual(['prowlarr', 'sonarr']);
      expect(Object.keys(inv.security.hosts)).toEqual(['vaultwarden']);
      expect(Object.keys(inv.docker_hosts.hosts)).toEqual(['prowlarr', 'sonarr', 'vaultwarden']);
      expect(Object.keys(inv.proxmox_hosts.hosts)).toEqual(['pve']);
      expect(out.hostVars('sonarr')).toMatchObject({ ansible_host: '10.10.0.21', ansible_user: 'root', homelab_stack: 'media', compose_project_dir: '/opt/homelab/sonarr' });
      expect(out.hostVars('pve').ansible_host).toBe('10.10.0.2');
    });

    it('runs the common plays of site.yml over all stacks at once, after the Proxmox host play', () => {
      const site = out.yaml('ansible/site.yml');
      expect(site[0]).toEqual({ name: 'Prepare the Proxmox hosts', 'ansible.builtin.import_playbook': 'proxmox.yml' });
      expect(site.slice(1).map((p: any) => p.hosts)).toEqual(['media:security', 'media:security:&docker_hosts']);
      expect(site[2]).toMatchObject({ name: 'Run the Docker workloads of all containers', roles: ['docker', 'compose_project'] });
      // Each stack playbook still runs alone.
      const media = out.yaml('ansible/media.yml');
      expect(media[1]).toMatchObject({ hosts: 'media:&docker_hosts', roles: ['docker', 'compose_project'] });
    });

    it('deploys compose projects with docker_compose_v2, never the removed v1 module', () => {
      const all = [...out.files.entries()].filter(([p]) => p.startsWith('ansible/')).map(([, t]) => t).join('\n');
      expect(all).toContain('community.docker.docker_compose_v2:');
      expect(all).not.toMatch(/community\.docker\.docker_compose:/);
      const req = out.yaml('ansible/requirements.yml');
      expect(req.collections).toContainEqual({ name: 'community.docker', version: '>=4.0.0' });
    });

    it('renders compose files from the model with pinned images, ports, volumes and healthchecks', () => {
      const svc = out.compose('sonarr').services.sonarr;
      expect(svc.image).toBe('lscr.io/linuxserver/sonarr:4.0.16');
      expect(svc.ports).toEqual(['8989:8989']);
      expect(svc.volumes).toEqual(['./config:/config', '/data:/data']);
      expect(svc.environment).toEqual({ PGID: '1000', PUID: '1000', TZ: 'Europe/Berlin' });
      expect(svc.healthcheck.test).toEqual(['CMD-SHELL', 'curl -fsS -o /dev/null http://localhost:8989/ping || exit 1']);
      expect(svc.restart).toBe('unless-stopped');
    });

    it('keeps secrets out of synth-out: compose reads .env, rendered by Ansible from a vault variable', () => {
      const vw = out.compose('vaultwarden').services.vaultwarden;
      expect(vw.environment.ADMIN_TOKEN).toBe('${ADMIN_TOKEN:?ADMIN_TOKEN is written to .env by Ansible}');
      expect(out.text('ansible/files/vaultwarden/env.j2')).toContain(`ADMIN_TOKEN='{{ vault_vaultwarden_admin_token | replace("'", "\\\\'") }}'`);
      expect(out.hostVars('vaultwarden').compose_project_env).toBe(true);
      expect(out.hostVars('sonarr').compose_project_env).toBe(false);
    });

    it('ships ansible-lint and yamllint settings that work offline', () => {
      expect(out.yaml('ansible/.ansible-lint')).toMatchObject({ profile: 'production', offline: true });
      expect(out.yaml('ansible/.yamllint').rules['document-start']).toMatchObject({ present: true });
      for (const [path, text] of out.files) {
        if (path.startsWith('ansible/')) for (const line of text.split('\n')) expect(line.length, `${path}: ${line}`).toBeLessThanOrEqual(160);
      }
    });

    it('lists every secret with its description in vault.example.yml', () => {
      const text = out.text('ansible/vault.example.yml');
      expect(out.yaml('ansible/vault.example.yml')).toEqual({ vault_vaultwarden_admin_token: 'CHANGE_ME' });
      expect(text).toContain('# Argon2 PHC hash of the Vaultwarden /admin token (vaultwarden hash).\n# Declared by homelab/security/vaultwarden.\nvault_vaultwarden_admin_token: CHANGE_ME');
    });

    it('creates bind-mount host directories with the ownership unprivileged containers see', () => {
      const dirs = out.hostVars('pve').proxmox_host_directories;
      expect(dirs.map((d: any) => d.path)).toEqual(['/tank/data', '/tank/data/media', '/tank/data/media/tv', '/tank/data/torrents']);
      for (const d of dirs) expect(d).toMatchObject({ owner: 101000, group: 101000, mode: '2775' });
    });

    it('quotes YAML 1.1 look-alikes so Ansible reads strings as strings', () => {
      expect(out.text('ansible/files/vaultwarden/compose.yml')).toContain("SIGNUPS_ALLOWED: 'false'");
      expect(out.text('ansible/inventory/host_vars/pve.yml')).toContain("mode: '2775'");
    });
  });
});
