#!/usr/bin/env bash
# Runs the hold and M/M/1 workloads on patchsim's engine (go test -bench) and
# on SimPy 3 with the same parameters, and prints ns per event (hold) and ns
# per customer (M/M/1) side by side with the ratio SimPy / patchsim. Each
# figure is the median of COUNT runs (default 5).
set -euo pipefail
cd "$(dirname "$0")"

py=/usr/bin/python3 # Debian's python3, where python3-simpy3 installs
count=${COUNT:-5}

if ! "$py" -c 'import simpy' 2>/dev/null; then
  echo "SimPy 3 is missing: installing python3-simpy3" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y python3-simpy3 ||
    { $sudo apt-get update && $sudo apt-get install -y python3-simpy3; }
fi
echo "SimPy $("$py" -c 'import simpy; print(simpy.__version__)'), $(go version)"

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# metric BENCH UNIT: the values of UNIT on the lines of benchmark BENCH.
gobench=$(mktemp)
trap 'rm -f "$gobench"' EXIT
go test -run='^$' -bench='Hold/engine|MM1' -count="$count" .. >"$gobench"
metric() {
  awk -v b="$1" -v u="$2" '$1 ~ "^"b"(-[0-9]+)?$" { for (i = 2; i <= NF; i++) if ($i == u) print $(i - 1) }' "$gobench"
}

# simpy SCRIPT ARGS...: the median over count runs of the figure the script
# prints last on its line.
simpy() {
  for _ in $(seq "$count"); do "$py" "$@" | awk '{print $NF}'; done | median
}

printf '\n%-22s %-12s %10s %10s %8s\n' workload unit patchsim SimPy ratio
row() { # name unit go simpy
  awk -v n="$1" -v u="$2" -v g="$3" -v s="$4" 'BEGIN { printf "%-22s %-12s %10.1f %10.1f %7.1fx\n", n, u, g, s, s / g }'
}
for p in 1000 100000; do
  row "hold pending=$p" ns/event "$(metric "BenchmarkHold/engine/pending=$p" ns/event | median)" "$(simpy hold.py "$p")"
done
row "M/M/1 rho=0.8" ns/customer "$(metric BenchmarkMM1 ns/customer | median)" "$(simpy mm1.py)"
