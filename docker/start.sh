#!/bin/bash
# Start Odoo through the image's own entrypoint (it writes the configuration
# from the environment and waits for PostgreSQL), on database $LIANGHUA_DB with
# every lianghua_* addon installed (demo data and languages on first start).
set -e
db="${LIANGHUA_DB:-lianghua}"
addons=$(cd /opt/lianghua && ls -d lianghua_*/ | tr -d / | paste -sd, -)
exec /entrypoint.sh odoo \
    --addons-path="${ADDONS_PATH:-/opt/lianghua,/mnt/extra-addons}" \
    --database="$db" --db-filter="^${db}\$" \
    --init="$addons" --load-language=en_US,zh_CN,zh_TW \
    "$@"
