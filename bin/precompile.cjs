'use strict';
/**
 * The precompiled build behind `npm run synth`, `cdktf synth` and `npx homelab-cdk` (bin/run.cjs,
 * bin/homelab-cdk.cjs): the package's TypeScript as CommonJS in .build/ (git-ignored), one .js per
 * .ts at the same relative path.
 *
 * Why not tsx every time: tsx hooks every require and looks each module up in its cache; on the
 * reference lab that is ~0.5 s of a ~1.3 s synth (README "Fast synth"). Why not `tsc --incremental`:
 * its no-op run alone took 2.0 s here (one touched file: 2.8 s), longer than the tsx run it would
 * save, because it re-reads every declaration file to type-check. The build only strips types —
 * what tsx does, and what `homelab-cdk check` is for — so it transpiles each changed file on its
 * own with TypeScript's transpileModule (the emit tsc does per file; byte-identical to it for this
 * code) with the compiler options of tsconfig.json.
 *
 * Up to date means, per file: its .js exists and carries the .ts file's mtime (set after writing,
 * so an edit during the transpile is seen next time). The check is two stat calls per source file,
 * a few milliseconds; `typescript` itself is loaded only when something is stale. A .js whose
 * source is gone is deleted, so a removed module fails to load as it does under tsx. A changed
 * tsconfig.json (or TypeScript version) rebuilds everything.
 *
 * ensureBuild() never throws: a syntax error in a source, an unwritable .build/ or a missing
 * `typescript` return { ok: false, reason }, and the caller falls back to tsx, which reports a
 * syntax error its own way.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const BUILD_DIR = path.join(ROOT, '.build');
/** Source roots compiled; tests are not (vitest runs them through its own transform). */
const SOURCES = ['main.ts', 'bin', 'lib', 'constructs', 'integrations', 'examples', 'bench', 'tools', '.gen'];
const SKIP_DIRS = new Set(['node_modules', '__tests__', '.terraform']);
const STAMP = path.join(BUILD_DIR, '.options.json');

/** Every .ts source (not .d.ts), relative to ROOT. */
function sources() {
  const out = [];
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
      const child = path.join(rel, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(child);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(child);
    }
  };
  for (const s of SOURCES) {
    const st = fs.statSync(path.join(ROOT, s), { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) walk(s);
    else out.push(s);
  }
  return out;
}

/** The compiled twin of a source: `lib/x.ts` → `.build/lib/x.js`. */
function compiledPath(source) {
  const rel = path.relative(ROOT, path.resolve(ROOT, source));
  return path.join(BUILD_DIR, rel.replace(/\.ts$/, '.js'));
}

/** True when `file` (absolute or relative to the cwd) is a source the build compiles. */
function isCompiledSource(file) {
  const rel = path.relative(ROOT, path.resolve(file));
  if (rel.startsWith('..') || path.isAbsolute(rel) || !rel.endsWith('.ts') || rel.endsWith('.d.ts')) return false;
  const parts = rel.split(path.sep);
  if (parts.some((p) => SKIP_DIRS.has(p))) return false;
  return SOURCES.includes(parts[0]);
}

/**
 * A compiled file carries its source's mtime, whole milliseconds (utimes goes through a double, so
 * the comparison allows for its rounding).
 */
const sameVersion = (compiledMs, sourceMs) => Math.abs(compiledMs - Math.floor(sourceMs)) < 0.5;
const stampTime = (sourceMs) => Math.floor(sourceMs) / 1000;

/** The stale sources: no .js, or a .js made from another version of the file. */
function staleSources(all) {
  return all.filter((rel) => {
    const js = fs.statSync(compiledPath(rel), { throwIfNoEntry: false });
    return !js || !sameVersion(js.mtimeMs, fs.statSync(path.join(ROOT, rel)).mtimeMs);
  });
}

/** .js files in .build/ whose source is gone. */
function orphans(all) {
  const wanted = new Set(all.map(compiledPath));
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js') && !wanted.has(p)) out.push(p);
    }
  };
  if (fs.existsSync(BUILD_DIR)) walk(BUILD_DIR);
  return out;
}

/** tsconfig.json's compiler options as transpileModule takes them, and a key that changes with them. */
function compilerOptions(ts) {
  const configPath = path.join(ROOT, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.convertCompilerOptionsFromJson(config.compilerOptions || {}, ROOT);
  const options = { ...parsed.options, noEmit: false, declaration: false, sourceMap: false, inlineSourceMap: false };
  return { options, key: JSON.stringify({ typescript: ts.version, compilerOptions: config.compilerOptions || {} }) };
}

/** Writes `text` to `file` as a whole (write-then-rename: a parallel run never reads half a file). */
function writeAtomically(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  return tmp;
}

/**
 * Brings .build/ up to date. Returns { ok: true, compiled: n } (n files transpiled, 0 when it was
 * fresh) or { ok: false, reason }.
 */
function ensureBuild() {
  try {
    const all = sources();
    let stale = staleSources(all);
    const gone = orphans(all);
    for (const f of gone) fs.rmSync(f, { force: true });
    const stampStat = fs.statSync(STAMP, { throwIfNoEntry: false });
    const configStat = fs.statSync(path.join(ROOT, 'tsconfig.json'));
    const configChanged = !stampStat || !sameVersion(stampStat.mtimeMs, configStat.mtimeMs);
    if (!stale.length && !configChanged) return { ok: true, compiled: 0 };

    // eslint-disable-next-line global-require
    const ts = require('typescript');
    const { options, key } = compilerOptions(ts);
    if (configChanged) {
      const previous = stampStat ? fs.readFileSync(STAMP, 'utf8') : undefined;
      if (previous !== key) stale = all; // other options, other output
    }
    for (const rel of stale) {
      const src = path.join(ROOT, rel);
      const before = fs.statSync(src);
      const result = ts.transpileModule(fs.readFileSync(src, 'utf8'), { compilerOptions: options, fileName: src, reportDiagnostics: true });
      const errors = (result.diagnostics || []).filter((d) => d.category === ts.DiagnosticCategory.Error);
      if (errors.length) return { ok: false, reason: `${rel} does not compile: ${ts.flattenDiagnosticMessageText(errors[0].messageText, '\n')}` };
      const js = compiledPath(rel);
      const tmp = writeAtomically(js, result.outputText);
      // The source's mtime as read above: an edit made meanwhile leaves the .js stale.
      fs.utimesSync(tmp, before.atimeMs / 1000, stampTime(before.mtimeMs));
      fs.renameSync(tmp, js);
    }
    const tmp = writeAtomically(STAMP, key);
    fs.utimesSync(tmp, configStat.atimeMs / 1000, stampTime(configStat.mtimeMs));
    fs.renameSync(tmp, STAMP);
    return { ok: true, compiled: stale.length };
  } catch (e) {
    return { ok: false, reason: e && e.message ? e.message.split('\n')[0] : String(e) };
  }
}

module.exports = { BUILD_DIR, ROOT, compiledPath, ensureBuild, isCompiledSource };
