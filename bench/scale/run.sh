#!/usr/bin/env bash
# Scale benchmark (see README.md): issuance on an empty database and on one holding 1,000,000
# issued certificates with their orders, authorizations and challenges; renewalInfo and OCSP
# latency for random existing certificates; the server's resident memory meanwhile. Loopback only.
#   bench/scale/run.sh [--rows 1000000] [--clients 8] [--warmup 30s] [--duration 30s]
#                      [--wrk-seconds 15] [--wrk-connections 8] [--pace-ms 8]
# SOTE_ACME_JAVA_OPTS overrides the server's JVM options (lib.sh has the default); KEEP=1 keeps
# the temporary folder.
set -euo pipefail
ROWS=1000000 CLIENTS=8 WARMUP=30s DURATION=30s WRK_SECONDS=15 WRK_CONNECTIONS=8 PACE_MS=8
while [ $# -gt 0 ]; do
  case $1 in
    --rows) ROWS=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --wrk-seconds) WRK_SECONDS=$2; shift 2 ;;
    --wrk-connections) WRK_CONNECTIONS=$2; shift 2 ;;
    --pace-ms) PACE_MS=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
. "$(dirname "$0")/lib.sh"
HERE="$ROOT/bench/scale"
build_jars
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
start_server
start_sampler 1

# ---- (a) issuance, empty database: one JVM warm-up, then the measured window ---------------------
phase issuance-empty
echo "issuance on the empty database: $CLIENTS clients, warm-up $WARMUP, measured $DURATION" >&2
acme_bench "$WORK/empty.json" "$CLIENTS" "$DURATION" "$WARMUP"

# ---- fill ---------------------------------------------------------------------------------------
phase fill
echo "filling $ROWS rows of each table" >&2
start=$(date +%s)
sql -v n="$ROWS" -f "$HERE/fill.sql" >"$WORK/fill.log"
FILL_SECONDS=$(( $(date +%s) - start ))
sql -At -c "select 'rows: ' || (select count(*) from certificate) || ' certificates, ' || (select count(*) from orders) || ' orders, ' || (select count(*) from authz) || ' authorizations, ' || (select count(*) from challenge) || ' challenges; database ' || pg_size_pretty(pg_database_size('postgres'))" >&2
echo "filled in $FILL_SECONDS s (with VACUUM, ANALYZE and a checkpoint)" >&2
sql -f "$HERE/explain.sql" >"$WORK/explain.txt" 2>&1 || true

# ---- (a) issuance, filled database ---------------------------------------------------------------
phase issuance-filled
echo "issuance on the filled database: $CLIENTS clients, warm-up 10s, measured $DURATION" >&2
acme_bench "$WORK/filled.json" "$CLIENTS" "$DURATION" 10s

# ---- (b) renewalInfo and OCSP for 10,000 random filled certificates ------------------------------
phase latency-inputs
ISSUING="$DATA/ca/production-issuing.pem"
AKI=$(openssl x509 -in "$ISSUING" -noout -ext subjectKeyIdentifier | tail -1 | tr -d ' :\n' |
  xxd -r -p | base64 -w0 | tr '+/' '-_' | tr -d '=')
RENEWAL=$(curl -sf --cacert "$DATA/tls/ca.pem" "$SOTE_DIR" | jq -r .renewalInfo)
RENEWAL_PATH=/${RENEWAL#https://*/}
# An OCSP request (SHA-1 CertID, no nonce) ends with the serial: openssl makes one, the other
# 9,999 differ only in their 18 serial bytes.
openssl ocsp -issuer "$ISSUING" -serial 0x01$(printf '%034x' 1) -no_nonce -reqout "$WORK/req.der" 2>/dev/null
PREFIX=$(xxd -p "$WORK/req.der" | tr -d '\n')
PREFIX=${PREFIX%01$(printf '%034x' 1)}
sql -At -v aki="$AKI" -v rpath="$RENEWAL_PATH" -v prefix="$PREFIX" >/dev/null <<'SQL'
create table scale_sample as
  select serial from certificate where issuer = 'production' and serial >= '\x01'::bytea
   and length(serial) = 18 order by random() limit 10000;
SQL
sql -At -v aki="$AKI" -v rpath="$RENEWAL_PATH" >"$WORK/renewal.paths" <<'SQL'
select :'rpath' || '/' || :'aki' || '.' || rtrim(translate(encode(serial, 'base64'), '+/', '-_'), '=')
  from scale_sample;
SQL
sql -At -v prefix="$PREFIX" >"$WORK/ocsp.hex" <<'SQL'
select :'prefix' || encode(serial, 'hex') from scale_sample;
SQL
sql -At -v prefix="$PREFIX" >"$WORK/ocsp.paths" <<'SQL'
select '/ocsp/' || replace(replace(replace(replace(encode(decode(:'prefix' || encode(serial, 'hex'), 'hex'), 'base64'),
  E'\n', ''), '+', '%2B'), '/', '%2F'), '=', '%3D') from scale_sample;
SQL
# one of each must answer
curl -sf --cacert "$DATA/tls/ca.pem" "https://localhost:$SOTE_PORT$(head -1 "$WORK/renewal.paths")" >"$WORK/renewal.sample" ||
  { echo "renewalInfo of a filled certificate failed: $(head -1 "$WORK/renewal.paths")" >&2; exit 1; }
curl -sf "http://127.0.0.1:$STATUS_PORT$(head -1 "$WORK/ocsp.paths")" >"$WORK/ocsp.sample" &&
  openssl ocsp -respin "$WORK/ocsp.sample" -noverify -resp_text 2>/dev/null | grep -q 'Cert Status: \(good\|revoked\)' ||
  { echo "OCSP of a filled certificate failed" >&2; exit 1; }

wrk_run() { # name connections seconds url script [env...]
  local name=$1 connections=$2 seconds=$3 url=$4 script=$5; shift 5
  phase "$name"
  local gc_before; gc_before=$(gc_lines)
  env "$@" wrk -t1 -c"$connections" -d"${seconds}s" --latency -s "$script" "$url" >"$WORK/$name.wrk" 2>&1
  echo "$(gc_pauses "$gc_before")" >"$WORK/$name.gc"
  phase "after-$name"
}
ACME="https://localhost:$SOTE_PORT"
STATUS="http://127.0.0.1:$STATUS_PORT"
C=$WRK_CONNECTIONS S=$WRK_SECONDS
# saturation: as many requests as the server answers; OCSP POST first, while the signed-answer
# cache is cold (the first request for each of the 10,000 serials is signed)
wrk_run "renewalInfo-c$C" "$C" "$S" "$ACME" "$HERE/requests.lua" SCALE_PATHS="$WORK/renewal.paths"
wrk_run "ocsp-post-c$C-cold" "$C" "$S" "$STATUS" "$HERE/requests.lua" SCALE_BODIES="$WORK/ocsp.hex" SCALE_PATH=/ocsp
wrk_run "ocsp-get-c$C" "$C" "$S" "$STATUS" "$HERE/requests.lua" SCALE_PATHS="$WORK/ocsp.paths"
wrk_run "ocsp-post-c$C" "$C" "$S" "$STATUS" "$HERE/requests.lua" SCALE_BODIES="$WORK/ocsp.hex" SCALE_PATH=/ocsp
# paced: 4 connections, each waiting $PACE_MS ms before each request (~4000/$PACE_MS requests/s)
wrk_run "renewalInfo-paced" 4 "$S" "$ACME" "$HERE/requests.lua" SCALE_PATHS="$WORK/renewal.paths" SCALE_DELAY_MS="$PACE_MS"
wrk_run "ocsp-get-paced" 4 "$S" "$STATUS" "$HERE/requests.lua" SCALE_PATHS="$WORK/ocsp.paths" SCALE_DELAY_MS="$PACE_MS"
wrk_run "ocsp-post-paced" 4 "$S" "$STATUS" "$HERE/requests.lua" SCALE_BODIES="$WORK/ocsp.hex" SCALE_PATH=/ocsp SCALE_DELAY_MS="$PACE_MS"
phase done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- summary --------------------------------------------------------------------------------------
ms() { # wrk latency (e.g. 812.00us, 1.23ms, 1.01s) → ms
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
wrk_line() { # name
  local f="$WORK/$1.wrk" p50 p99 rps non2xx
  p50=$(awk '$1 == "50%" {print $2}' "$f"); p99=$(awk '$1 == "99%" {print $2}' "$f")
  local p90; p90=$(awk '$1 == "90%" {print $2}' "$f")
  rps=$(awk '/^Requests\/sec/ {print $2}' "$f")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$f"); non2xx=${non2xx:-0}
  printf '%-30s %10s %10s %10s %10s %8s %12s  %s\n' "$1" "$(ms "$p50")" "$(ms "$p90")" "$(ms "$p99")" "$rps" "$non2xx" "$(rss_max "$1")" "$(cat "$WORK/$1.gc")"
  cp "$f" "$ROOT/server/target/scale-${1// /-}.wrk" 2>/dev/null || true
}
rss_max() { awk -v p="$1" '$2 == p && $3 > m {m = $3} END {printf "%.0f", m / 1024}' "$WORK/rss"; }
EMPTY=$(jq .certificatesPerSecond "$WORK/empty.json")
FILLED=$(jq .certificatesPerSecond "$WORK/filled.json")
echo
echo "scale benchmark: $ROWS rows; $(nproc) cores; load average before $LOAD_BEFORE, after $LOAD_AFTER"
echo "server JVM options: ${SERVER_JAVA_OPTS:-none}, MALLOC_ARENA_MAX=${SERVER_MALLOC_ARENA_MAX:-unset}"
printf '%-30s %10s %10s %10s %8s %12s\n' issuance certs/s "p50 ms" "p99 ms" errors "max RSS MB"
for run in empty filled; do
  printf '%-30s %10.2f %10.1f %10.1f %8s %12s\n' "full flow, $run database" \
    "$(jq .certificatesPerSecond "$WORK/$run.json")" "$(jq '.steps["full flow"].p50Ms' "$WORK/$run.json")" \
    "$(jq '.steps["full flow"].p99Ms' "$WORK/$run.json")" "$(jq '[.errors[]] | add // 0' "$WORK/$run.json")" \
    "$(rss_max "issuance-$run")"
done
printf 'issuance ratio filled/empty: %.3f (target >= 0.90)\n' "$(echo "$FILLED / $EMPTY" | bc -l)"
printf '%-30s %10s %10s %10s %10s %8s %12s  %s\n' "wrk -t1, ${WRK_SECONDS}s" "p50 ms" "p90 ms" "p99 ms" "req/s" non-2xx "max RSS MB" "GC during the run"
for name in "renewalInfo-c$C" "ocsp-post-c$C-cold" "ocsp-get-c$C" "ocsp-post-c$C" "renewalInfo-paced" "ocsp-get-paced" "ocsp-post-paced"; do
  wrk_line "$name"
done
echo "server RSS over the whole run: max $(awk '$3 > m {m = $3} END {printf "%.0f", m / 1024}' "$WORK/rss") MB (VmRSS, sampled every second; target <= 300 MB)"
echo "used_nonce rows at the end: $(sql -At -c 'select count(*) from used_nonce')"
echo "--- EXPLAIN ANALYZE, generic plans: scan nodes and execution time of each hot query"
grep -E '^-- |Scan|Execution Time' "$WORK/explain.txt" | sed 's/ (actual time=[^)]*)//'
cp "$WORK/explain.txt" "$ROOT/server/target/scale-explain.txt" 2>/dev/null && echo "(all plans: server/target/scale-explain.txt)" || true
