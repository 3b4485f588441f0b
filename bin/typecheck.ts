import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { PACKAGE_ROOT } from '../lib/package-root';

/** The package root: its tsconfig.json and node_modules serve labs kept outside it too. */
export { PACKAGE_ROOT };

/**
 * Type-checks one app file and what it imports, as `tsc --noEmit` would with the project's
 * tsconfig.json (tsx, which runs the app, strips types unchecked). Incremental: the build info is
 * kept in node_modules/.cache/homelab-cdk/, never beside the app or in the output folder, so a
 * second check of an unchanged tree only re-reads file hashes.
 * Returns the formatted diagnostics; empty means clean.
 */
export function typeCheck(appFile: string): string[] {
  const app = resolve(appFile);
  const configPath = ts.findConfigFile(dirname(app), ts.sys.fileExists) ?? join(PACKAGE_ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config ?? {}, ts.sys, dirname(configPath));
  const cacheDir = join(PACKAGE_ROOT, 'node_modules', '.cache', 'homelab-cdk');
  mkdirSync(cacheDir, { recursive: true });
  const key = createHash('sha256').update(`${configPath}\0${app}`).digest('hex').slice(0, 16);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    incremental: true,
    tsBuildInfoFile: join(cacheDir, `${key}.tsbuildinfo`),
    // A lab outside the package still finds @types/node and the package's dependencies.
    typeRoots: [join(PACKAGE_ROOT, 'node_modules', '@types')],
    baseUrl: parsed.options.baseUrl ?? PACKAGE_ROOT,
  };
  const host = ts.createIncrementalCompilerHost(options);
  const program = ts.createIncrementalProgram({ rootNames: [app], options, host });
  // The builder program's own getters answer from the build info for files whose hash is unchanged.
  const diagnostics = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(),
    ...program.getSemanticDiagnostics(),
  ];
  program.emit(); // with noEmit, writes only the build info
  return diagnostics.map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return `error TS${d.code}: ${text}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${relative(process.cwd(), d.file.fileName)}:${line + 1}:${character + 1} error TS${d.code}: ${text}`;
  });
}
