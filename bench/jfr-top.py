#!/usr/bin/env python3
"""Top methods of a JFR recording's execution samples: self (top frame) and inclusive.

    bench/jfr-top.py /tmp/sote-acme.jfr [N]

Inclusive counts a method once per sample wherever it is on the stack, so it answers "how much CPU
goes through X" (e.g. sun.security.ec, jose4j, BouncyCastle signing, Netty TLS, the PostgreSQL
client). Needs the JDK's `jfr` tool.
"""
import collections, re, subprocess, sys

path = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96", path],
                     capture_output=True, text=True, check=True).stdout
self_count, incl, threads, groups = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
GROUPS = [
    ("ECDSA verify (SunEC)", "sun.security.ec."),
    ("RSA signing (JDK)", "sun.security.rsa."),
    ("BigInteger", "java.math.BigInteger"),
    ("jose4j", "org.jose4j."),
    ("BouncyCastle", "org.bouncycastle."),
    ("TLS (JDK SSLEngine)", "sun.security.ssl."),
    ("Netty", "io.netty."),
    ("PostgreSQL client", "io.vertx.pgclient."),
    ("Vert.x JSON / Jackson", "com.fasterxml.jackson."),
    ("sote-acme code", "fi.soteacme."),
]
total = 0
for block in out.split("jdk.ExecutionSample {")[1:]:
    total += 1
    m = re.search(r'sampledThread = "([^"]*)"', block)
    if m:
        threads[re.sub(r"\d+$", "N", m.group(1))] += 1
    frames = re.findall(r"^\s+([\w$.<>/]+)\(", block, re.M)
    if not frames:
        continue
    self_count[frames[0]] += 1
    for f in set(frames):
        incl[f] += 1
    seen = set()
    for name, prefix in GROUPS:
        if any(f.startswith(prefix) for f in frames) and name not in seen:
            groups[name] += 1
            seen.add(name)
print(f"{total} execution samples")
print("\nthreads:")
for t, n in threads.most_common(8):
    print(f"  {100 * n / total:5.1f}%  {t}")
print("\ninclusive, by area (a sample can be in several):")
for g, n in groups.most_common():
    print(f"  {100 * n / total:5.1f}%  {g}")
print(f"\nself, top {top}:")
for f, n in self_count.most_common(top):
    print(f"  {100 * n / total:5.1f}%  {f}")
print(f"\ninclusive, top {top} (excluding thread entry frames):")
shown = 0
for f, n in incl.most_common(200):
    if re.match(r"java\.lang\.Thread\.run|io\.netty\.util\.concurrent\.FastThreadLocalRunnable|io\.netty\.util\.internal\.ThreadExecutorMap|io\.netty\.channel\.nio\.NioEventLoop\.run|java\.util\.concurrent\.ThreadPoolExecutor", f):
        continue
    print(f"  {100 * n / total:5.1f}%  {f}")
    shown += 1
    if shown >= top:
        break
