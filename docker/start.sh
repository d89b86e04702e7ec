#!/bin/bash
# Start Odoo through the image's own entrypoint (it writes the configuration
# from the environment and waits for PostgreSQL) on database $LIANGHUA_DB.
# The lianghua_* addons not installed yet are installed (with demo data and
# languages on a new database); installed ones are left as they are, so that
# what an administrator configured is kept across restarts.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
db="${LIANGHUA_DB:-lianghua}"
export PGHOST="${HOST:-db}" PGPORT="${PORT:-5432}" PGUSER="${USER:-odoo}" PGPASSWORD="${PASSWORD:-odoo}"

for _ in $(seq 30); do
    pg_isready -q -d postgres && break
    sleep 1
done

entrypoint="${ODOO_ENTRYPOINT:-/entrypoint.sh}"
base_args=(--addons-path="${ADDONS_PATH:-$root,/mnt/extra-addons}" --database="$db")

installed=""
if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    # A new database: its company is Chinese and keeps its books in CNY, set
    # before accounting posts anything (see tools/chinese_company.sql).
    "$entrypoint" odoo "${base_args[@]}" --init=base --stop-after-init
    psql -v ON_ERROR_STOP=1 -q -d "$db" -f "$root/tools/chinese_company.sql"
    "$entrypoint" odoo "${base_args[@]}" --init=l10n_cn --stop-after-init
    psql -v ON_ERROR_STOP=1 -q -d "$db" -f "$root/tools/chinese_company_after.sql"
else
    installed=$(psql -d "$db" -tAc \
        "SELECT name FROM ir_module_module WHERE state = 'installed' AND name LIKE 'lianghua\_%'" \
        2>/dev/null || true)
fi
missing=()
for path in "$root"/lianghua_*/; do
    addon=$(basename "$path")
    grep -qx "$addon" <<<"$installed" || missing+=("$addon")
done

args=("${base_args[@]}" --db-filter="^${db}\$" --no-database-list)
if [ ${#missing[@]} -gt 0 ]; then
    # shellcheck disable=SC2054  # the commas are Odoo's list separators
    args+=(--init="$(IFS=,; echo "${missing[*]}")" --load-language=en_US,zh_CN,zh_TW)
fi
exec "$entrypoint" odoo "${args[@]}" "$@"
