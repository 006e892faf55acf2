# Latchkey: developer entry points. See scripts/ for what each target does.
SHELL := /bin/bash
SLN := Platform.sln

.PHONY: run test bench bench-scale build format format-check chart-check stop clean

run: ## start everything locally (Ctrl-C stops it)
	@bash scripts/run.sh

test: ## build and run all tests; ends with "N passed, N failed"
	@bash scripts/test.sh

bench: ## wrk load test of token, introspection, discovery and refresh through the gateway (tools/Latchkey.Bench)
	@bash scripts/bench.sh

bench-scale: ## BENCH_SCALE_PROJECTS (10000) projects seeded through the API: token rate hot vs random projects, introspection, RSS per service
	@bash scripts/bench.sh --scale "$${BENCH_SCALE_PROJECTS:-10000}"

build:
	dotnet build $(SLN) -c Release

format:
	dotnet format $(SLN)

format-check:
	dotnet restore $(SLN)
	dotnet format $(SLN) --verify-no-changes --no-restore

chart-check: ## helm lint --strict and helm template of charts/latchkey (default, production, CI values); fetches helm once
	@bash scripts/chart-check.sh

stop: ## stop what `scripts/run.sh --background` started
	@bash scripts/stop.sh

clean: ## stop private servers under .local, then remove .local and every bin/ and obj/
	-@bash scripts/stop.sh --all
	rm -rf .local
	find libs services cli tests -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} + 2>/dev/null || true
