#!/usr/bin/env bash
# Creates the exchange's topics once the broker answers (common Topic: name, partitions, clean-up policy,
# retention in ms and, for upload records, the largest record batch in bytes). Topics that exist are left as they
# are.
set -euo pipefail
bootstrap=${KAFKA_BOOTSTRAP:-kafka:9092}

topic() { # name partitions cleanup.policy retention.ms [max.message.bytes]
  local -a limit=()
  [ $# -ge 5 ] && limit=(--config "max.message.bytes=$5")
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$1" --partitions "$2" --replication-factor 1 \
    --config "cleanup.policy=$3" --config "retention.ms=$4" "${limit[@]}"
}

topic observation-uploads 12 delete 604800000 33554432
topic observation-upload-results 6 delete 86400000
topic observation-uploads-dlq 3 delete 2592000000 33554432
topic admin-events 6 delete 604800000
topic token-revocations 3 compact 2592000000
topic audit-events 6 delete 604800000
