# shmlab: the everyday commands. `make help` lists them.
CARGO   ?= cargo
BIN     := target/release/shmlab
BENCH   := target/bench
RUNS    ?= 40

.PHONY: help build run test lint bench bench-racing

help:
	@echo "make run      run the main job (the racing lab, every backend)"
	@echo "make test     the test suite (as root it also runs the root-only tests)"
	@echo "make lint     cargo fmt --check and clippy, as CI runs them"
	@echo "make bench    benchmarks against C baselines, results in $(BENCH)/"

build:
	$(CARGO) build --release

run: build
	$(BIN) racing --backend all

test:
	$(CARGO) test --release

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

bench: bench-racing

$(BENCH)/racing_c: bench/racing.c
	@mkdir -p $(BENCH)
	$(CC) -O2 -o $@ $<

# A whole 100-child trial, shmlab against the minimal C program, alternated
# in one hyperfine run so that both see the same machine state.
bench-racing: build $(BENCH)/racing_c
	hyperfine -N --warmup 5 --runs $(RUNS) \
		--export-markdown $(BENCH)/racing.md --export-json $(BENCH)/racing.json \
		'$(BENCH)/racing_c 100' '$(BIN) racing --backend mmap' \
		'$(BIN) racing --backend xsi' '$(BIN) racing --backend posix'
