# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
.DEFAULT_GOAL := help
API_ENV = $(shell scripts/venv.sh api requirements/api.lock 3.11)
BOT_ENV = $(shell scripts/venv.sh bot requirements/bot.lock 3.10)

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup:  ## create (or reuse) both environments
	@scripts/venv.sh api requirements/api.lock 3.11 >/dev/null
	@scripts/venv.sh bot requirements/bot.lock 3.10 >/dev/null

run: setup  ## set up and start the assistant on embedded defaults (SQLite, demo data)
	@scripts/run.sh

test: setup  ## set up and run the whole test suite (lint, SQLite and PostgreSQL)
	@scripts/test.sh

lint: setup  ## ruff over all Python code
	@$(API_ENV)/bin/ruff check .

lock-api:  ## re-pin the API environment from requirements/api.in
	@scripts/lock.sh api 3.11

lock-bot:  ## re-pin the bot environment from requirements/bot.in
	@scripts/lock.sh bot 3.10

.PHONY: help setup run test lint lock-api lock-bot
