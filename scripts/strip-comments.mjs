#!/usr/bin/env node
// Removes the comments from the package's JavaScript once its declarations are generated:
// the JSDoc lives on in the .d.ts files (where editors read it) and in js/, and a browser that
// loads the package without a bundler (from a CDN, say) no longer downloads it: the shipped
// JavaScript goes from ~27 to ~13 kB gzipped. The code itself is TypeScript's printer's, not
// minified: still readable in a debugger. Imports and exports are checked to be unchanged.
//
//   node scripts/strip-comments.mjs pkg/api.js pkg/pool.js …
import { readFileSync, writeFileSync } from 'node:fs';
import ts from 'typescript';

/** The module specifiers of a file's static and dynamic imports and re-exports, in order. */
function modules(fileName, text) {
  const found = [];
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ESNext, true, ts.ScriptKind.JS);
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) found.push(node.moduleSpecifier.text);
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) found.push(node.arguments[0]?.getText(sf));
    if (ts.isExportAssignment(node) || (ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))) {
      found.push(`export ${node.name?.getText(sf) ?? node.kind}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

for (const file of process.argv.slice(2)) {
  const src = readFileSync(file, 'utf8');
  const { outputText, diagnostics } = ts.transpileModule(src, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { allowJs: true, removeComments: true, target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext },
  });
  if (diagnostics?.length) {
    console.error(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => '.', getNewLine: () => '\n' }));
    process.exit(1);
  }
  const before = JSON.stringify(modules(file, src));
  const after = JSON.stringify(modules(file, outputText));
  if (before !== after) {
    console.error(`strip-comments: ${file}: imports or exports changed\n  before ${before}\n  after  ${after}`);
    process.exit(1);
  }
  writeFileSync(file, outputText);
}
