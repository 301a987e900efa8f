# Helpers sourced by the bench scripts (bash): loopback ports and the bench server configuration.

# A port free on 127.0.0.1 now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Waits until something listens on 127.0.0.1:port, else prints the log's tail and exits 1.
wait_for_port() { # port seconds what log
  local i
  for i in $(seq 1 $(( $2 * 10 ))); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "$3 did not listen on $1 within $2 s; its log:" >&2
  tail -50 "$4" >&2
  exit 1
}

# The configuration of a sote-acme bench server on loopback, as JSON on stdout: its data folder, the
# ACME, operator and status ports, CRL/OCSP/CA-issuer URLs on the status listener, validation
# skipped for test profiles (the load generator's --profile sote-server-test), the testdata register
# and the demo organisation the load generator orders for. Further members, each with a leading
# comma, are appended as they are (e.g. ', "ca": {...}').
bench_config() { # dataDir acmePort adminPort statusPort [extra members]
  cat <<JSON
{
  "dataDir": "$1",
  "listen": {"host": "127.0.0.1", "port": $2},
  "admin": {"host": "127.0.0.1", "port": $3},
  "status": {"host": "127.0.0.1", "port": $4},
  "issuance": {"crlUrl": "http://127.0.0.1:$4/crl/{ca}.crl",
               "ocspUrl": "http://127.0.0.1:$4/ocsp",
               "caIssuersUrl": "http://127.0.0.1:$4/ca/{ca}.cer"},
  "validation": {"skipForTestProfiles": true},
  "identifiers": {"allowTestTld": true},
  "register": {"loadTestdata": true},
  "demoOrganisation": "1.2.246.10.98123462.10.0"${5:-}
}
JSON
}
