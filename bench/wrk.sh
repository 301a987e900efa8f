#!/usr/bin/env bash
# wrk (HTTP/1.1 keep-alive over TLS, 2 threads, 32 connections) against newNonce (HEAD and GET) and
# the directory of two running servers, and the ratios.
#
#   bench/wrk.sh <pebble directory URL> <sote-acme directory URL> [seconds, default 10]
#
# bench/side-by-side.sh --wrk runs it against the servers it starts.
set -euo pipefail
PEBBLE_DIR="$1"
SOTE_DIR="$2"
SECONDS_PER_RUN="${3:-10}"
HERE="$(cd "$(dirname "$0")" && pwd)"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

rate() { # method url -> requests/s, p99 ms
  local out
  out=$(wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --latency -s "$HERE/wrk-$1.lua" "$2")
  local rps p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' <<<"$out")
  local errors
  errors=$(awk '/Non-2xx or 3xx responses:/ {print $NF} /Socket errors:/ {print "socket errors"}' <<<"$out" | tr '\n' ' ')
  echo "$rps $p99 ${errors:-0}"
}

nonce_url() { curl -sk "$1" | jq -r .newNonce; }

PEBBLE_NONCE=$(nonce_url "$PEBBLE_DIR")
SOTE_NONCE=$(nonce_url "$SOTE_DIR")
echo "wrk -t2 -c32 -d${SECONDS_PER_RUN}s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-18s %12s %10s %12s %10s %7s\n' request "pebble r/s" "p99 ms" "sote r/s" "p99 ms" ratio
# HEAD newNonce: wrk 4.1 does not know that a HEAD response has no body; an HTTP/1.1 answer without
# Content-Length (Pebble's) then stalls the connection until the server closes it. Measure it anyway
# with WRK_HEAD=1; the table marks a stalled run with 0.
WHAT=("GET newNonce" "GET directory")
if [ "${WRK_HEAD:-0}" = 1 ]; then WHAT=("HEAD newNonce" "${WHAT[@]}"); fi
for what in "${WHAT[@]}"; do
  method=${what%% *}
  case "$what" in
    *newNonce) p_url=$PEBBLE_NONCE; s_url=$SOTE_NONCE ;;
    *) p_url=$PEBBLE_DIR; s_url=$SOTE_DIR ;;
  esac
  read -r p_rps p_p99 p_err <<<"$(rate "$method" "$p_url")"
  read -r s_rps s_p99 s_err <<<"$(rate "$method" "$s_url")"
  printf '%-18s %12s %10s %12s %10s %7s\n' "$what" "$p_rps" "$p_p99" "$s_rps" "$s_p99" \
    "$(awk -v a="$s_rps" -v b="$p_rps" 'BEGIN {printf "%.2f", a / b}')"
  if [ "$p_err" != 0 ] || [ "$s_err" != 0 ]; then echo "  non-2xx/3xx or socket errors: pebble $p_err, sote-acme $s_err"; fi
done
