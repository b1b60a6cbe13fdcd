#!/usr/bin/env bash
# Ingestion throughput in wasm (Node and headless Chromium) against a PapaParse + JavaScript
# normalization baseline, in the same run, on the same generated export; and a 1M-row streamed
# read in wasm with its memory. Until the real facade exposes `Ingest`, the wasm module is built
# from a throwaway copy of the repository with scratch_facade.rs as src/wasm.rs.
#
#   benches/wasm-ingest/run.sh [ROWS]      # default 200000 (about 52 MB); 1M rows streamed too
#
# Needs what scripts/setup installs (the wasm32 route, wasm-opt, Chromium) and npm.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rows=${1:-200000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log() { printf '[wasm-ingest] %s\n' "$*" >&2; }

log "throwaway copy with the scratch facade"
mkdir -p "$work/src"
(cd "$root" && git ls-files -z | xargs -0 tar -cf - ) | tar -xf - -C "$work/src"
cp "$here/scratch_facade.rs" "$work/src/src/wasm.rs"

log "building wasm32 (release)"
export CARGO_TARGET_DIR="$work/target"
if rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  (cd "$work/src" && RUSTFLAGS='--cfg getrandom_backend="wasm_js"' cargo build -q --release --target wasm32-unknown-unknown --lib)
else
  LLD=$(ls -d "$HOME"/.rustup/toolchains/*/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld | head -n1)
  (cd "$work/src" && RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
    RUSTFLAGS="--cfg getrandom_backend=\"wasm_js\" -C linker=$LLD" \
    /usr/bin/cargo build -q --release --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort --lib)
fi
mkdir -p "$work/web"
wasm-opt -O3 "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/overlap.wasm" -o "$work/web/overlap.wasm"
log "wasm: $(stat -c %s "$work/web/overlap.wasm") bytes after wasm-opt -O3"

log "generating $rows rows and 1,000,000 rows"
(cd "$root" && CARGO_TARGET_DIR="$root/target" scripts/gen-crm --rows "$rows" --seed 1) >"$work/web/crm-200k.csv"
(cd "$root" && CARGO_TARGET_DIR="$root/target" scripts/gen-crm --rows 1000000 --seed 1) >"$work/crm-1m.csv"

log "npm: papaparse, playwright-core (into the throwaway folder)"
(cd "$work" && npm init -y >/dev/null && npm install -s --no-audit --no-fund --ignore-scripts papaparse@5 playwright-core >/dev/null)
cp "$work/node_modules/papaparse/papaparse.min.js" "$work/web/"
cp "$here/page.html" "$work/web/index.html"
for f in node.mjs node-stream.mjs papaparse.mjs chromium.mjs; do cp "$here/$f" "$work/$f"; done

cd "$work"
node node.mjs web/overlap.wasm web/crm-200k.csv
node node-stream.mjs web/overlap.wasm crm-1m.csv
node papaparse.mjs web/crm-200k.csv
node chromium.mjs "$work/web"
