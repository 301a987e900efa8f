#!/bin/sh
# OCSP and CRL benchmark: see README.md. Usage: bench/ocsp/run.sh [seconds] [concurrency] [--hold]
set -eu
cd "$(dirname "$0")/../.."
mvn -q -B -pl server -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/server/target/bench.classpath" -Dmdep.includeScope=test
cd server
exec java -Xmx1g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  fi.soteacme.server.revocation.bench.OcspBenchmark "$@"
