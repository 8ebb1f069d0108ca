#!/usr/bin/env bash
# Runs every test of DVV.ZkRisk on a fresh machine: installs what the tests need (npm peers for the
# interop oracles, Debian packages), builds, runs every xUnit project and prints one summary line
# "N passed, N failed[, N skipped]" totalled over all runs. Exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

retry() { local n=0; until "$@"; do n=$((n+1)); [ $n -ge 3 ] && return 1; sleep 3; done; }

# --- Debian packages the tests use (libsodium oracle, python gRPC client, PostgreSQL server) ---
need_apt=()
[ -e /usr/lib/x86_64-linux-gnu/libsodium.so.23 ] || need_apt+=(libsodium23)
[ -f tests/interop/apt-packages.txt ] && while read -r p; do
  [ -n "$p" ] && ! dpkg -s "$p" >/dev/null 2>&1 && need_apt+=("$p")
done < tests/interop/apt-packages.txt
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing apt packages: ${need_apt[*]}"
  retry apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive retry apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# --- npm peers (@noble/curves, dalek WASM bindings, @grpc/grpc-js) ---
if [ -f tests/interop/package.json ]; then
  (cd tests/interop && retry npm install --no-audit --no-fund --loglevel=error) || { echo "npm install failed"; echo "0 passed, 1 failed"; exit 1; }
fi

dotnet build DVV.ZkRisk.sln -c Release -nologo -v q 2>&1 | tail -n 5
if [ "${PIPESTATUS[0]}" -ne 0 ]; then echo "build failed"; echo "0 passed, 1 failed"; exit 1; fi

# >>> PostgreSQL for the storage tests (svc): a throwaway cluster on a loopback port; exports DVV_ZKRISK_PG, stopped on exit
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -n "$PG_BIN" ] && [ -z "${DVV_ZKRISK_PG:-}" ]; then
  PG_DIR=$(mktemp -d /tmp/dvv-pg.XXXXXX)
  pg_run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
  if pg_run "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 >"$PG_DIR/initdb.log" 2>&1; then
    for _try in 1 2 3 4 5; do
      PG_PORT=$((20000 + RANDOM % 20000))
      if pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
           -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR" start >/dev/null 2>&1; then
        export DVV_ZKRISK_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
        break
      fi
    done
  fi
  [ -n "${DVV_ZKRISK_PG:-}" ] && echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT" \
    || { echo "PostgreSQL did not start (the PostgreSQL tests will fail)"; tail -n 5 "$PG_DIR"/*.log 2>/dev/null; }
  trap 'pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1; rm -rf "$PG_DIR"' EXIT
fi
# <<< PostgreSQL

passed=0; failed=0; skipped=0; rc=0
log=$(mktemp)
for proj in tests/*/*.Tests.csproj; do
  echo "=== $proj"
  dotnet test "$proj" -c Release --no-build -nologo ${TEST_FILTER:+--filter "$TEST_FILTER"} 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -ne 0 ] && rc=1
  # VSTest summary: "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12"
  line=$(grep -E "Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+" "$log" | tail -n 1)
  if [ -z "$line" ]; then echo "no test summary for $proj"; failed=$((failed+1)); rc=1; continue; fi
  f=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$line"); p=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$line"); s=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$line")
  passed=$((passed+p)); failed=$((failed+f)); skipped=$((skipped+s))
done
rm -f "$log"
[ $failed -gt 0 ] && rc=1
if [ $skipped -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
exit $rc
