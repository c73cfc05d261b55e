# Sourced by install.sh (and by test/cli/install.test.ts): one way to npm-install a tool whose install scripts run
# nested npm/npx, whatever the user's npm config says.
#
# isolated_npm_install PREFIX SPEC LOG
#   Installs SPEC into PREFIX/node_modules. The user's npm config reaches nested installs through npm_config_*
#   variables (`npm start` exports every non-default setting to its scripts), so the settings they need are set
#   here instead of inherited. code-server's postinstall runs `npm install` in lib/vscode, where node-pty's runs
#   `npx node-gyp`: with yes=false npx cancels ("npx canceled due to missing packages and no YES option") and
#   the install dies with kilobytes of Buffer dumps. All output goes to LOG; a failure prints three short lines
#   (what failed, the first line that says why, what to do) and returns npm's status.
isolated_npm_install() {
  local prefix=$1 spec=$2 log=$3 status=0
  mkdir -p "$(dirname "$log")"
  (
    export npm_config_yes=true                # nested `npx node-gyp` must not ask (nobody can answer)
    export npm_config_ignore_scripts=false    # the postinstall builds the native modules
    export npm_config_dry_run=false npm_config_global=false
    npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "$spec"
  ) >"$log" 2>&1 || status=$?
  [ "$status" = 0 ] && return 0
  # The line that best names the cause, most specific first (npx, fetch, node-gyp, a build's ERROR, npm's error
  # code), never npm's echo of the command that failed.
  local cause="" pattern
  for pattern in 'npx canceled' 'FetchError: ' 'gyp ERR! (stack )?Error' 'ERROR: ' 'npm (error|ERR!) code E[A-Z0-9]+'; do
    cause=$(grep -v -E '^((npm (error|ERR!)) )+(command|path) ' "$log" | grep -m1 -E "$pattern" \
      | sed -E 's/^((npm (error|ERR!)|gyp ERR!) )+//' | cut -c1-200 || true)
    [ -n "$cause" ] && break
  done
  echo "Installing $spec failed (npm exit $status)${cause:+: $cause}" >&2
  echo "  Full log: $log" >&2
  echo "  What to do: check that the npm registry is reachable and the build tools are installed (build-essential python3 pkg-config libkrb5-dev), then run the command again." >&2
  return "$status"
}
