#!/usr/bin/env bash
# wrk (HTTP/1.1 keep-alive over TLS, 2 threads, 32 connections) against newNonce (GET) and the
# directory of two running servers, and the ratios.
#
#   bench/wrk.sh <pebble directory URL> <sote-acme directory URL> [seconds, default 10]
#                [--pids PEBBLE_PID,SOTE_PID] [--pinned]
#
# --pids    also the CPU each server process spent per request (µs, from /proc/PID/stat): the
#           server's own cost, which the requests/s of a shared machine hide (wrk takes its share of
#           the same cores).
# --pinned  (needs --pids; two or more cores) a second table with wrk on CPU 0 and the server under
#           test on CPU 1 (taskset, all threads), so that the load generator and the server do not
#           compete for a core; each server gets its affinity back afterwards.
#
# bench/side-by-side.sh --wrk runs it against the servers it starts, with --pids and --pinned.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

POSITIONAL=()
PIDS=""
PINNED=0
while [ $# -gt 0 ]; do
  case "$1" in
    --pids) PIDS="$2"; shift 2 ;;
    --pinned) PINNED=1; shift ;;
    *) POSITIONAL+=("$1"); shift ;;
  esac
done
PEBBLE_DIR="${POSITIONAL[0]}"
SOTE_DIR="${POSITIONAL[1]}"
SECONDS_PER_RUN="${POSITIONAL[2]:-10}"
PEBBLE_PID="${PIDS%%,*}"
SOTE_PID="${PIDS#*,}"
if [ "$PINNED" = 1 ] && { [ -z "$PIDS" ] || [ "$(nproc)" -lt 2 ]; }; then
  echo "--pinned needs --pids and at least two cores" >&2
  exit 1
fi

cpu_ticks() { # pid -> utime + stime of the whole process, in clock ticks
  if [ -z "$1" ]; then echo 0; return; fi
  awk '{print $14 + $15}' "/proc/$1/stat"
}

rate() { # method url pid wrk-prefix... -> requests/s, p99 ms, CPU µs per request, errors
  local method=$1 url=$2 pid=$3
  shift 3
  local before after out
  before=$(cpu_ticks "$pid")
  out=$("$@" wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --latency -s "$HERE/wrk-$method.lua" "$url")
  after=$(cpu_ticks "$pid")
  local rps p99 us errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' <<<"$out")
  us=$(awk -v a="$before" -v b="$after" -v r="$rps" -v s="$SECONDS_PER_RUN" -v hz="$(getconf CLK_TCK)" \
    -v known="${pid:+1}" 'BEGIN {if (!known || r == 0) print "-"; else printf "%.1f", (b - a) / hz * 1e6 / (r * s)}')
  errors=$(awk '/Non-2xx or 3xx responses:/ {print $NF} /Socket errors:/ {print "socket errors"}' <<<"$out" | tr '\n' ' ')
  echo "$rps $p99 $us ${errors:-0}"
}

pin() { taskset -a -p -c "$2" "$1" >/dev/null; } # pid cpus

table() { # title, then wrk's prefix for pebble and for sote-acme (empty: unpinned)
  echo "$1, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-14s %11s %7s %7s %11s %7s %7s %6s %6s\n' request "pebble r/s" "p99 ms" "µs/req" \
    "sote r/s" "p99 ms" "µs/req" ratio "CPU"
  local what p_url s_url
  for what in "GET newNonce" "GET directory"; do
    case "$what" in
      *newNonce) p_url=$PEBBLE_NONCE; s_url=$SOTE_NONCE ;;
      *) p_url=$PEBBLE_DIR; s_url=$SOTE_DIR ;;
    esac
    [ "$PINNED_RUN" = 1 ] && pin "$PEBBLE_PID" 1
    read -r p_rps p_p99 p_us p_err <<<"$(rate GET "$p_url" "$PEBBLE_PID" ${WRK_PREFIX[@]+"${WRK_PREFIX[@]}"})"
    [ "$PINNED_RUN" = 1 ] && pin "$PEBBLE_PID" "$ALL_CPUS"
    [ "$PINNED_RUN" = 1 ] && pin "$SOTE_PID" 1
    read -r s_rps s_p99 s_us s_err <<<"$(rate GET "$s_url" "$SOTE_PID" ${WRK_PREFIX[@]+"${WRK_PREFIX[@]}"})"
    [ "$PINNED_RUN" = 1 ] && pin "$SOTE_PID" "$ALL_CPUS"
    # ratio: requests/s, sote-acme over Pebble; CPU: Pebble's CPU per request over sote-acme's.
    printf '%-14s %11s %7s %7s %11s %7s %7s %6s %6s\n' "$what" "$p_rps" "$p_p99" "$p_us" "$s_rps" \
      "$s_p99" "$s_us" "$(awk -v a="$s_rps" -v b="$p_rps" 'BEGIN {printf "%.2f", a / b}')" \
      "$(awk -v a="$p_us" -v b="$s_us" 'BEGIN {if (a == "-" || b == "-") print "-"; else printf "%.2f", a / b}')"
    if [ "$p_err" != 0 ] || [ "$s_err" != 0 ]; then
      echo "  non-2xx/3xx or socket errors: pebble $p_err, sote-acme $s_err"
    fi
  done
}

nonce_url() { curl -sk "$1" | jq -r .newNonce; }
PEBBLE_NONCE=$(nonce_url "$PEBBLE_DIR")
SOTE_NONCE=$(nonce_url "$SOTE_DIR")
ALL_CPUS="0-$(( $(nproc) - 1 ))"

# HEAD newNonce is not measured: wrk 4.1 does not know that a HEAD response has no body, and Pebble
# answers HEAD over HTTP/1.1 without Content-Length, so wrk waits until the server closes the
# connection and counts nothing. GET newNonce (204) is the same handler in both servers.
PINNED_RUN=0
WRK_PREFIX=()
table "wrk -t2 -c32 -d${SECONDS_PER_RUN}s, shared cores"
if [ "$PINNED" = 1 ]; then
  echo
  PINNED_RUN=1
  WRK_PREFIX=(taskset -c 0)
  table "wrk -t2 -c32 -d${SECONDS_PER_RUN}s on CPU 0, the server under test on CPU 1"
fi
