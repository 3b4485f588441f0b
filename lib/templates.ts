import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { PACKAGE_ROOT } from './package-root';

/** Where the free-form templates live (wg0.conf, nftables, nginx, smb.conf, Jinja snippets, ...). */
export const TEMPLATE_ROOT = join(PACKAGE_ROOT, 'ansible-templates');

const hbs = Handlebars.create();
hbs.registerHelper('join', (items: unknown, sep: unknown) => (Array.isArray(items) ? items.join(typeof sep === 'string' ? sep : ', ') : ''));
hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);

const compiled = new Map<string, Handlebars.TemplateDelegate>();

/**
 * Renders `ansible-templates/<name>` with handlebars in strict mode (a missing variable is an error,
 * not an empty string) and without HTML escaping (these are config files, not web pages).
 * Templates are compiled once per process.
 */
export function renderTemplate(name: string, context: object): string {
  let t = compiled.get(name);
  if (!t) {
    t = hbs.compile(readFileSync(join(TEMPLATE_ROOT, name), 'utf8'), { strict: true, noEscape: true });
    compiled.set(name, t);
  }
  return t(context);
}
