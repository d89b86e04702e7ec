# Lianghua: the two commands of the README, and a few helpers.
# Everything is set up by tools/lh.py; see `python3 tools/lh.py --help`.
PYTHON ?= python3
LH := $(PYTHON) tools/lh.py

.PHONY: run test bench lint update stop clean screenshots

run:            ## database `lianghua` with demo data, served on http://localhost:8069
	$(LH) run

test:           ## throwaway database, every test and tour; `make test T=path/to/test_x.py`
	$(LH) test $(T)

bench:          ## speed of our models against core ones, at 100k records
	$(LH) bench

lint:           ## ruff and pylint-odoo's mandatory checks
	$(LH) setup --python-only
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/pylint --rcfile=.pylintrc-mandatory lianghua_*

update:         ## `make run`, updating our addons first
	$(LH) run --update

screenshots:    ## README screenshots, from the running demo (`make run` in another shell)
	.venv/bin/python tools/screenshots.py

stop:           ## stop the PostgreSQL cluster under .local/
	$(LH) db-stop

clean: stop     ## remove .venv/ and .local/ (the demo database with it)
	rm -rf .venv .local
