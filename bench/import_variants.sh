#!/bin/bash
# Issue #18: import variants on PostgreSQL, a fresh database per import, the related plugin
# off (the import alone is timed). Results: bench/import-results.md. Run from anywhere:
#   bench/import_variants.sh > variants.out
cd "$(dirname "$0")/.."
A=${1:-../shared/datasets/newsroom-10k.jsonl.gz}
export GQLNEWS_DISABLED_PLUGINS=related
for round in 1 2; do
for v in "bench:--progress off" "admin:" "jobs1:--progress off --jobs 1" "batch2000:--progress off --batch-size 2000"; do
  name=${v%%:*}; opts=${v#*:}
  psql -qh 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS gqlnews_bench_variants" -c "CREATE DATABASE gqlnews_bench_variants"
  start=$(date +%s.%N)
  out=$(.venv/bin/gqlnews --database-url postgres://postgres@127.0.0.1:5432/gqlnews_bench_variants import $opts $A 2>/dev/null < /dev/null)
  end=$(date +%s.%N)
  echo "$round $name [$opts] $(echo "$out" | grep 'import finished' | sed 's/.*lines in //') | $(echo "$out" | grep analyzed) | wall $(echo "$end - $start" | bc) | load $(cut -d' ' -f1 /proc/loadavg)"
done; done
psql -qh 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS gqlnews_bench_variants"
