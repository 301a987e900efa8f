#!/usr/bin/env bash
# Two sote-acme processes on one database under the load of one, the clients alternating between
# them; then checks on the shared database. Exits non-zero when a check fails. See bench/two-process.md.
#
#   bench/two-process.sh [--clients 8] [--duration 60s] [--warmup 5s] [--keep]
#
# Loopback only. Process A: the server jar with its embedded PostgreSQL and generated CAs and TLS
# (the production hierarchies). Process B: a second server jar on A's PostgreSQL
# (database.url), given A's issuing CAs (ca.*.chainPem/keyPem), A's TLS certificate and key
# (listen.tlsCertificate/tlsKey) and A's public URL (publicUrl), so that every URL either hands out
# is valid at the other. Both: validation.skipForTestProfiles, issuance URLs of A's status
# listener, issuance.instanceId 1 and 2 (the serial says which process signed).
#
# Then the same load twice, at --clients: once every request to A (B idle on the same database),
# once `sote-acme bench --also-connect` so that each client's successive requests go to A, B, A, B
# (every nonce of an answer of one process is used at the other), and
#   - errors: the alternating run may have no kind of failure that the one-process run does not
#     (flow errors by problem type; badNonce answers, which the library retries silently; other
#     error answers; requests without an answer), and both processes must have had their share;
#   - SQL on the shared database: no order with two certificates, every valid order exactly one
#     signed certificate, no order left processing, no certificate left unsigned, and for each run
#     the used_nonce rows it added = the signed POSTs the servers accepted (each nonce is one row,
#     the primary key refuses a second use; a nonce accepted twice, at A and at B, would make the
#     servers accept more POSTs than there are new rows).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CLIENTS=8
DURATION=60s
WARMUP=5s
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) CLIENTS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

SERVER_JAR="$ROOT/server/target/sote-acme-server.jar"
CLIENT_JAR="$ROOT/client-java/target/sote-acme.jar"
if [ ! -f "$SERVER_JAR" ] || [ ! -f "$CLIENT_JAR" ]; then
  echo "building the jars (mvn -q -B -DskipTests package)" >&2
  (cd "$ROOT" && mvn -q -B -DskipTests package)
fi
command -v psql >/dev/null || { echo "psql is needed for the checks (apt-get install postgresql-client)" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq is needed (apt-get install jq)" >&2; exit 1; }

WORK="$(mktemp -d /tmp/two-process.XXXXXX)"
A_PID=""
B_PID=""
cleanup() {
  # B first: A's shutdown hook stops the PostgreSQL that B uses.
  for pid in $B_PID $A_PID; do
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  if [ "$KEEP" = 0 ]; then rm -rf "$WORK"; else echo "kept $WORK" >&2; fi
}
trap cleanup EXIT

. "$(dirname "$0")/common.sh"

A_PORT=$(free_port); A_ADMIN=$(free_port); A_STATUS=$(free_port)
B_PORT=$(free_port); B_ADMIN=$(free_port); B_STATUS=$(free_port)
A_DATA="$WORK/a"; B_DATA="$WORK/b"
mkdir -p "$A_DATA" "$B_DATA"
PUBLIC="https://localhost:$A_PORT"

config() { # dataDir port admin status instanceId extra-json
  cat <<EOF
{
  "dataDir": "$1",
  "publicUrl": "$PUBLIC",
  "listen": {"host": "127.0.0.1", "port": $2 $6},
  "admin": {"host": "127.0.0.1", "port": $3},
  "status": {"host": "127.0.0.1", "port": $4},
  "issuance": {"instanceId": $5,
               "crlUrl": "http://127.0.0.1:$A_STATUS/crl/{ca}.crl",
               "ocspUrl": "http://127.0.0.1:$A_STATUS/ocsp",
               "caIssuersUrl": "http://127.0.0.1:$A_STATUS/ca/{ca}.cer"},
  "validation": {"skipForTestProfiles": true},
  "identifiers": {"allowTestTld": true},
  "register": {"loadTestdata": true},
  "demoOrganisation": "1.2.246.10.98123462.10.0"
EOF
}

ready() { # port what log: until the directory, fetched from that socket, is answered (not 503)
  local i
  for i in $(seq 1 600); do
    if curl -sf -o /dev/null --cacert "$A_DATA/tls/ca.pem" --connect-to "localhost:$A_PORT:127.0.0.1:$1" \
      "$PUBLIC/directory"; then return 0; fi
    sleep 0.1
  done
  echo "$2 did not answer its directory within 60 s; its log:" >&2
  tail -50 "$3" >&2
  exit 1
}

start() { # name config log -> pid in STARTED
  (cd "$WORK" && exec java ${SOTE_ACME_JAVA_OPTS:-} -jar "$SERVER_JAR" --config "$2" >"$3" 2>&1) &
  STARTED=$!
}

# ---- A: embedded PostgreSQL, generated CAs and TLS ---------------------------------------------
{ config "$A_DATA" "$A_PORT" "$A_ADMIN" "$A_STATUS" 1 ""; echo "}"; } >"$WORK/a.json"
start a "$WORK/a.json" "$WORK/a.log"; A_PID=$STARTED
wait_for_port "$A_PORT" 180 "process A" "$WORK/a.log"
wait_for_port "$A_ADMIN" 30 "process A's operator API" "$WORK/a.log"
ready "$A_PORT" "process A" "$WORK/a.log"
PG_PID=$(sed -n 1p "$A_DATA/pg/postmaster.pid")
PG_PORT=$(sed -n 4p "$A_DATA/pg/postmaster.pid")

# ---- B: A's database, CAs, TLS certificate and public URL --------------------------------------
for ca in production test; do
  cat "$A_DATA/ca/$ca-issuing.pem" "$A_DATA/ca/$ca-root.pem" >"$WORK/$ca-chain.pem"
done
{
  config "$B_DATA" "$B_PORT" "$B_ADMIN" "$B_STATUS" 2 \
    ", \"tlsCertificate\": \"$A_DATA/tls/server.pem\", \"tlsKey\": \"$A_DATA/tls/server.key.pem\""
  cat <<EOF
  ,"database": {"url": "jdbc:postgresql://127.0.0.1:$PG_PORT/postgres", "user": "postgres", "password": "postgres"},
  "ca": {"production": {"chainPem": "$WORK/production-chain.pem", "keyPem": "$A_DATA/ca/production-issuing.key.pem"},
         "test": {"chainPem": "$WORK/test-chain.pem", "keyPem": "$A_DATA/ca/test-issuing.key.pem"}}
}
EOF
} >"$WORK/b.json"
start b "$WORK/b.json" "$WORK/b.log"; B_PID=$STARTED
wait_for_port "$B_PORT" 180 "process B" "$WORK/b.log"
wait_for_port "$B_ADMIN" 30 "process B's operator API" "$WORK/b.log"
ready "$B_PORT" "process B" "$WORK/b.log"

sql() { PGPASSWORD=postgres psql -X -q -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "$1"; }

# B must hand out A's URLs: the directory of B, fetched from B's socket, names A's public URL.
B_NEW_ORDER=$(curl -sf --cacert "$A_DATA/tls/ca.pem" --connect-to "localhost:$A_PORT:127.0.0.1:$B_PORT" \
  "$PUBLIC/directory" | jq -r .newOrder)
[ "$B_NEW_ORDER" = "$PUBLIC/acme/new-order" ] || { echo "process B's directory names $B_NEW_ORDER" >&2; exit 1; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores" >&2
echo "A pid $A_PID on 127.0.0.1:$A_PORT, B pid $B_PID on 127.0.0.1:$B_PORT, one public URL $PUBLIC;" \
  "PostgreSQL pid $PG_PID port $PG_PORT (A's embedded)" >&2

bench() { # name out [extra bench options]
  local name=$1 out=$2; shift 2
  sql "select count(*) from used_nonce" >"$out.nonces-before"
  java -Xmx512m -jar "$CLIENT_JAR" bench --server "$PUBLIC/directory" --ca-bundle "$A_DATA/tls/ca.pem" \
    --clients "$CLIENTS" --duration "$DURATION" --warmup "$WARMUP" --profile sote-server-test \
    --eab-endpoint "http://127.0.0.1:$A_ADMIN" --eab-token "@$A_DATA/admin-token" \
    --pids "serverA=$A_PID,serverB=$B_PID,postgres=$PG_PID" --json "$@" >"$out" 2>"$out.err" || {
    echo "bench ($name) failed:" >&2; cat "$out.err" "$out" >&2; exit 1; }
  sql "select count(*) from used_nonce" >"$out.nonces-after"
  jq -c --arg name "$name" --arg load "$(cut -d' ' -f1 /proc/loadavg)" \
    '{name: $name, load: $load, certsPerSecond: .certificatesPerSecond, errors: .errors, requests: .requests}' "$out" >&2
}

RUN_START=$(sql "select now()")
bench "one process" "$WORK/one.json"
TWO_START=$(sql "select now()")
bench "two processes" "$WORK/two.json" --also-connect "localhost:$B_PORT"

# The flows have ended; give a certificate still being signed a moment to be recorded.
for _ in $(seq 1 30); do
  [ "$(sql "select count(*) from orders where status = 'processing'")" = 0 ] && break
  sleep 1
done

SQL_DUP=$(sql "select count(*) from (select order_id from certificate where order_id is not null group by order_id having count(*) > 1) d")
SQL_VALID_NOT_ONE=$(sql "select count(*) from orders o where o.status = 'valid' and (select count(*) from certificate c where c.order_id = o.id and c.der is not null) <> 1")
SQL_PROCESSING=$(sql "select count(*) from orders where status = 'processing'")
SQL_UNSIGNED=$(sql "select count(*) from certificate where der is null")
SQL_CERT_NOT_VALID=$(sql "select count(*) from certificate c join orders o on o.id = c.order_id where o.status <> 'valid'")
SQL_VALID=$(sql "select count(*) from orders where status = 'valid'")
SQL_NONCES=$(sql "select count(*) from used_nonce")
SQL_NONCES_DISTINCT=$(sql "select count(distinct nonce) from used_nonce")
# Which process signed: bytes 2-3 of every serial are issuance.instanceId (1 = A, 2 = B).
SQL_BY_SIGNER_ONE=$(sql "select coalesce(string_agg(i || ':' || n, ' ' order by i), '') from (select get_byte(serial, 1) * 256 + get_byte(serial, 2) i, count(*) n from certificate where created_at >= '$RUN_START' and created_at < '$TWO_START' group by 1) s")
SQL_BY_SIGNER_TWO=$(sql "select coalesce(string_agg(i || ':' || n, ' ' order by i), '') from (select get_byte(serial, 1) * 256 + get_byte(serial, 2) i, count(*) n from certificate where created_at >= '$TWO_START' group by 1) s")

python3 - "$WORK" "$(cut -d' ' -f1-3 /proc/loadavg)" "$A_PORT" "$B_PORT" \
  "$SQL_DUP" "$SQL_VALID_NOT_ONE" "$SQL_PROCESSING" "$SQL_UNSIGNED" "$SQL_CERT_NOT_VALID" "$SQL_VALID" \
  "$SQL_NONCES" "$SQL_NONCES_DISTINCT" "$SQL_BY_SIGNER_ONE" "$SQL_BY_SIGNER_TWO" <<'EOF'
import json, sys
(work, load, a_port, b_port, dup, valid_not_one, processing, unsigned, cert_not_valid, valid,
 nonces, nonces_distinct, signer_one, signer_two) = sys.argv[1:]
runs = {}
for name in ("one", "two"):
    r = json.load(open(f"{work}/{name}.json"))
    before = int(open(f"{work}/{name}.json.nonces-before").read())
    after = int(open(f"{work}/{name}.json.nonces-after").read())
    r["newNonceRows"] = after - before
    runs[name] = r
one, two = runs["one"], runs["two"]
a, b = f"localhost:{a_port}", f"localhost:{b_port}"

def total(r, counter):
    return sum(m.get(counter, 0) for m in r["requests"].values())

def signers(s):
    names = {"1": "A", "2": "B"}
    return ", ".join(f"{names.get(i, i)} {n}" for i, n in (p.split(":") for p in s.split())) or "-"

fmt = "{:44} {:>14} {:>14}"
print(f"{one['clients']} clients, {one['seconds']:.0f} s measured each; load average after: {load}")
print(fmt.format("", "one process", "two, alternating"))
rows = [
    ("certificates (measured window)", lambda r: r["certificates"]),
    ("certificates/s", lambda r: f"{r['certificatesPerSecond']:.2f}"),
    ("full flow p50 / p99 ms", lambda r: f"{r['steps']['full flow']['p50Ms']:.0f} / {r['steps']['full flow']['p99Ms']:.0f}"),
    ("requests (whole run)", lambda r: total(r, "requests")),
    (f"  to A ({a})", lambda r: r["requests"].get(a, {}).get("requests", 0)),
    (f"  to B ({b})", lambda r: r["requests"].get(b, {}).get("requests", 0)),
    ("signed POSTs", lambda r: total(r, "posts")),
    ("flow errors", lambda r: sum(r["errors"].values())),
    ("badNonce answers (retried by the library)", lambda r: total(r, "badNonce")),
    ("other error answers", lambda r: total(r, "errorResponses")),
    ("requests without an answer", lambda r: total(r, "noResponse")),
    ("POSTs the servers accepted", lambda r: r["acceptedNonces"]),
    ("new used_nonce rows", lambda r: r["newNonceRows"]),
    ("CPU ms/cert A + B + postgres", lambda r: f"{r['cpuMsPerCertificate']:.1f}" if r.get("cpuMsPerCertificate") else "-"),
]
for label, get in rows:
    print(fmt.format(label, get(one), get(two)))
print(fmt.format("certificates signed by (serial instance)", signers(signer_one), signers(signer_two)))
for name, r in runs.items():
    for kind, n in r["errors"].items():
        print(f"  {name}: error {kind}: {n}")

failures = []
def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)

new_kinds = sorted(set(two["errors"]) - set(one["errors"]))
check(not new_kinds, "no flow error type in the alternating run that the one-process run lacks"
      + (f" (new: {', '.join(new_kinds)})" if new_kinds else ""))
for counter, label in (("badNonce", "badNonce answers"), ("errorResponses", "other error answers"),
                       ("noResponse", "requests without an answer")):
    check(not (total(two, counter) > 0 and total(one, counter) == 0),
          f"{label}: none in the alternating run unless also in the one-process run")
share_b = two["requests"].get(b, {}).get("requests", 0) / max(1, total(two, "requests"))
check(0.4 <= share_b <= 0.6, f"alternating run: B answered {share_b:.0%} of the requests")
check(two["certificates"] > 0 and one["certificates"] > 0, "both runs issued certificates")
check("1:" in signer_two and "2:" in signer_two, "alternating run: both A and B signed certificates")
check(dup == "0", f"no order with two certificates ({dup})")
check(valid_not_one == "0", f"every valid order has exactly one signed certificate ({valid} valid orders, {valid_not_one} without exactly one)")
check(cert_not_valid == "0", f"no certificate of an order that is not valid ({cert_not_valid})")
check(processing == "0", f"no order left processing ({processing})")
check(unsigned == "0", f"no certificate left unsigned ({unsigned})")
check(nonces == nonces_distinct, f"used_nonce: {nonces} rows, {nonces_distinct} distinct")
for name, r in runs.items():
    check(r["acceptedNonces"] == r["newNonceRows"],
          f"{name}: every POST the servers accepted used a nonce never used before "
          f"({r['acceptedNonces']} accepted POSTs, {r['newNonceRows']} new used_nonce rows)")
print("two-process checks: " + ("all passed" if not failures else f"{len(failures)} FAILED"))
sys.exit(1 if failures else 0)
EOF
