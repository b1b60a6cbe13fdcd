#!/usr/bin/env node
// Generates the package's declarations (.d.ts) from the JSDoc of the JavaScript in pkg/ (copied
// from js/ by scripts/build-pkg), type-checking that JavaScript on the way (checkJs, strict).
//
//   node scripts/gen-types.mjs            (settings in js/tsconfig.json)
//
// What `tsc --declaration --allowJs --emitDeclarationOnly` gives, plus one thing tsc does not do
// for JavaScript sources: declarations whose JSDoc says `@internal` are left out (`stripInternal`
// only works for TypeScript sources), and an internal constructor becomes `private constructor()`
// so `new Dataset()` does not type-check for users.
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const configPath = join(root, 'js/tsconfig.json');
const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
if (error) fail([error]);
const parsed = ts.parseJsonConfigFileContent(config, ts.sys, dirname(configPath));
if (parsed.errors.length) fail(parsed.errors);
// Declarations left from an earlier run would shadow the JavaScript they were made from.
for (const f of readdirSync(join(root, 'js'))) {
  if (f.endsWith('.js')) rmSync(join(root, 'pkg', f.replace(/\.js$/, '.d.ts')), { force: true });
}
const program = ts.createProgram(parsed.fileNames, parsed.options);

/** @param {ts.Node} node */
function isInternal(node) {
  let n = ts.getOriginalNode(node);
  if (ts.isJSDocTypedefTag(n) || ts.isJSDocCallbackTag(n)) n = n.parent;
  // A variable's JSDoc sits on its statement, a `this.x = …` property's on its expression statement.
  while (!ts.isJSDoc(n) && !n.jsDoc?.length && n.parent && (ts.isVariableDeclaration(n) || ts.isVariableDeclarationList(n) || ts.isPropertyAccessExpression(n) || ts.isBinaryExpression(n))) {
    n = n.parent;
  }
  // Only the JSDoc block right before a declaration is its own (typedef blocks may precede it).
  const doc = ts.isJSDoc(n) ? n : n.jsDoc?.at(-1);
  return (doc?.tags ?? []).some((t) => t.tagName.text === 'internal');
}

/** Names of `@typedef`s whose block says `@internal`, per source file. @type {Map<string, Set<string>>} */
const internalTypedefs = new Map();
for (const sf of program.getSourceFiles()) {
  const names = new Set();
  for (const block of sf.text.match(/\/\*\*[\s\S]*?\*\//g) ?? []) {
    if (!/@internal\b/.test(block)) continue;
    const at = block.indexOf('@typedef');
    if (at < 0) continue;
    let i = block.indexOf('{', at);
    for (let depth = 0; i < block.length; i++) {
      if (block[i] === '{') depth++;
      else if (block[i] === '}' && --depth === 0) break;
    }
    const name = block.slice(i + 1).match(/^\s*([A-Za-z_$][\w$]*)/)?.[1];
    if (name) names.add(name);
  }
  internalTypedefs.set(sf.fileName, names);
}

/** @type {ts.TransformerFactory<ts.SourceFile | ts.Bundle>} */
const stripInternal = (context) => {
  const f = context.factory;
  /** @param {ts.Node} node @returns {ts.VisitResult<ts.Node>} */
  const visit = (node) => {
    if (ts.isConstructorDeclaration(node) && isInternal(node)) {
      return f.createConstructorDeclaration([f.createModifier(ts.SyntaxKind.PrivateKeyword)], [], undefined);
    }
    if (ts.isTypeAliasDeclaration(node) && internalTypedefs.get(ts.getOriginalNode(node).getSourceFile?.()?.fileName ?? file)?.has(node.name.text)) {
      return undefined;
    }
    if (
      (ts.isFunctionDeclaration(node) ||
        ts.isPropertyDeclaration(node) ||
        ts.isMethodDeclaration(node) ||
        ts.isTypeAliasDeclaration(node) ||
        ts.isVariableStatement(node) ||
        ts.isClassDeclaration(node)) &&
      isInternal(node)
    ) {
      return undefined;
    }
    if (ts.isClassDeclaration(node) || ts.isSourceFile(node)) return ts.visitEachChild(node, visit, context);
    return node;
  };
  let file = '';
  return (sf) => {
    file = ts.isSourceFile(sf) ? (ts.getOriginalNode(sf).fileName ?? sf.fileName) : '';
    return /** @type {ts.SourceFile} */ (visit(sf));
  };
};

// The raw wasm-bindgen types are only needed by internal members: once those are gone, the
// import goes too, so the package need not ship overlap_wasm.d.ts (whose `Symbol.dispose` would
// ask users for lib esnext).
/** @type {ts.WriteFileCallback} */
const write = (name, text, bom) => {
  if (!/\braw\./.test(text.replace(/^import \* as raw from .*$/m, ''))) text = text.replace(/^import \* as raw from .*\n/m, '');
  // `@import` tags became `import type` lines; the comments that held them stay behind.
  text = text.replace(/^\/\*\* @import .*\*\/\n/gm, '');
  ts.sys.writeFile(name, text, bom);
};
const result = program.emit(undefined, write, undefined, true, { afterDeclarations: [stripInternal] });
const diags = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
if (diags.length) fail(diags);

/** @param {readonly ts.Diagnostic[]} diags */
function fail(diags) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  process.stderr.write(ts.formatDiagnosticsWithColorAndContext(diags, host));
  process.exit(1);
}
