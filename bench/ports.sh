# Loopback port helpers, sourced by the bench scripts (bash).

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
