#!/usr/bin/env bash
# Runs every decoder's fuzz properties with at least INPUTS inputs per decoder (default 1,000,000),
# split evenly over that decoder's properties, one decoder at a time (the machine is shared).
# Prints, per decoder, the inputs run, the wall time and the test outcome.
# Usage: tests/Shared/Fuzzing/run-each-decoder.sh [INPUTS]
set -euo pipefail
cd "$(dirname "$0")/../../.."
inputs=${1:-1000000}

# project, fuzz class, number of properties that draw inputs (fixed-input tests not counted)
decoders=(
  "Collectives.Tests AbortNoticeFuzzTests 5"
  "Collectives.Transport.Tests FrameHeaderFuzzTests 7"
  "Collectives.Transport.Tests MessageHeaderFuzzTests 5"
  "Collectives.Transport.Tests RendezvousFrameFuzzTests 4"
  "Collectives.Transport.Tests RendezvousRequestFuzzTests 5"
  "Collectives.Transport.Tests RendezvousResponseFuzzTests 3"
  "Collectives.Transport.Tests HandshakeFuzzTests 6"
  "Collectives.Offload.Tests DescriptorFuzzTests 7"
)

for project in Collectives.Tests Collectives.Transport.Tests Collectives.Offload.Tests; do
  dotnet build "tests/$project" -c Release >/dev/null
done

for entry in "${decoders[@]}"; do
  read -r project class properties <<<"$entry"
  per_property=$(( (inputs + properties - 1) / properties ))
  start=$(date +%s)
  if COLLECTIVES_FUZZ_ITERATIONS=$per_property dotnet test "tests/$project" -c Release --no-build \
       --filter "FullyQualifiedName~.Fuzzing.$class" >"/tmp/fuzz-$class.log" 2>&1; then
    outcome=passed
  else
    outcome="FAILED (see /tmp/fuzz-$class.log)"
  fi
  seconds=$(( $(date +%s) - start ))
  echo "$class: $properties properties x $per_property = $(( properties * per_property )) inputs, ${seconds} s, $outcome"
done
