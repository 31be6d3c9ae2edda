import { loadConfigOrThrow, type LoadedConfig } from '../../src/config/load.js';
import { tempTree } from '../helpers/tmp.js';

export const INQUIRY = `subject: "About {serviceLine.name}"
variants:
  - "First text for {site.name}"
  - "Second text for {site.name}"
  - "Third text for {site.name}"
askCallback: false
`;

/** A config with `n` webform entry points spread over sites, plus extra YAML at the top. */
export function configWith(opts: { sites?: number; linesPerSite?: number; top?: string; siteExtra?: (i: number) => string; entry?: (s: number, l: number) => string }): { root: string; loaded: LoadedConfig } {
  const sites = opts.sites ?? 4;
  const lines = opts.linesPerSite ?? 5;
  let y = `organization: Test Org
timezone: America/Chicago
shopper:
  name: Jordan Avery
  email: jordan+{token}@example.net
  phones: ["+13125550101", "+13125550102", "+13125550103"]
channels:
  browser: {}
  smtp: { host: smtp.example.net }
  twilio: { accountSid: "\${SID}", authToken: "\${TOKEN}" }
${opts.top ?? ''}
sites:
`;
  for (let s = 0; s < sites; s++) {
    y += `  - id: s${s}\n    name: Site ${s}\n${opts.siteExtra?.(s) ?? ''}    serviceLines:\n`;
    for (let l = 0; l < lines; l++)
      y += `      - id: l${l}\n        name: Line ${l}\n        entryPoints:\n${opts.entry?.(s, l) ?? `          - type: webform\n            url: https://s${s}.example.org/l${l}\n`}`;
  }
  const root = tempTree({ 'configs/audit.yaml': y, 'probes/new-inquiry.yaml': INQUIRY });
  return { root, loaded: loadConfigOrThrow('configs/audit.yaml', { cwd: root, env: { SID: 'ACx', TOKEN: 'tok' } }) };
}
