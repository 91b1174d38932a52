#!/usr/bin/env bash
# Re-makes every table, CSV and chart of docs/offload-study.md (about two minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build benchmarks/CollSim -c Release -v q
collsim() { dotnet benchmarks/CollSim/bin/Release/net10.0/collsim.dll "$@"; }
out=docs/offload-study

# The paper's experiment: 16..256 nodes, 8..56 bytes, four element types.
collsim --nodes 16:256 --bytes 8:56:8 --types all --csv $out/paper.csv --markdown $out/paper.md
collsim --nodes 256 --bytes 8:56:8 --types double --svg $out/step-256.svg
# Beyond the paper: up to 4096 nodes.
collsim --nodes 16:4096 --bytes 8,48 --types double --csv $out/scale.csv --markdown $out/scale.md --svg $out/scale.svg
# Host noise on both paths: a 2 µs and a 25 µs detour per millisecond.
collsim --nodes 16:1024 --bytes 8 --types double --repeat 200 --noise 1000:2 --csv $out/noise-2us.csv --markdown $out/noise-2us.md
collsim --nodes 16:1024 --bytes 8 --types double --repeat 200 --noise 1000:25 --csv $out/noise-25us.csv --markdown $out/noise-25us.md --svg $out/noise-25us.svg
# Fan-in of the offload tree.
collsim --nodes 256,4096 --bytes 8,48 --types double --fanin 0,2:8:1 --csv $out/fanin.csv --markdown $out/fanin.md
# Where offload stops paying.
collsim --nodes 256 --bytes 8:8192 --types double --csv $out/size.csv --markdown $out/size.md --svg $out/size.svg
collsim --nodes 256 --bytes 8:8192 --types double --fanin 8 --paths offload --csv $out/size-fanin8.csv --markdown $out/size-fanin8.md
# Sensitivity: the same 256-node point with other host and NIC costs.
collsim --nodes 256 --bytes 8,48 --types double --host-overhead-ns 100 --markdown $out/overhead-100.md
collsim --nodes 256 --bytes 8,48 --types double --host-overhead-ns 500 --markdown $out/overhead-500.md
collsim --nodes 256 --bytes 8,48 --types double --nic-processing-ns 200 --alu-ns 20 --markdown $out/slow-nic.md
collsim --nodes 256 --bytes 96:960:48 --types double --markdown $out/size-fine.md
