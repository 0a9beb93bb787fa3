# shmlab: the everyday commands. `make help` lists them.
CARGO   ?= cargo
BIN     := target/release/shmlab
BENCH   := target/bench
RUNS    ?= 40

.PHONY: help build run test lint bench bench-racing bench-locks bench-memory

help:
	@echo "make run      run the main job (shmlab reproduce: the article, figure by figure)"
	@echo "make test     the test suite (as root it also runs the root-only tests)"
	@echo "make lint     cargo fmt --check and clippy, as CI runs them"
	@echo "make bench    benchmarks against C baselines, results in $(BENCH)/"
	@echo "              (make bench-racing, bench-locks or bench-memory runs one of them)"

build:
	$(CARGO) build --release

run: build
	$(BIN) reproduce

test:
	$(CARGO) test --release

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

bench: bench-racing bench-locks bench-memory

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

# The C side of the lock benchmark. Warnings on: it is the floor we compare
# against, so it must do exactly what it says.
$(BENCH)/locks_c: bench/locks.c
	@mkdir -p $(BENCH)
	$(CC) -O2 -Wall -Wextra -o $@ $< -lpthread

# C methods, named as bench/locks.c takes them (shmlab has no C twin for
# named-sem; compare_locks.py sets it against posix-sem).
LOCK_METHODS := none atomic mutex mutex-robust posix-sem sysv-sem flock fcntl ofd
# Increments per process: shmlab bench's default --ops, so both sides do the
# same work (compare_locks.py refuses to compare different counts).
LOCK_OPS     := 200000

# One protected increment, shmlab's loop against the plain C loop, in one
# run on one machine state. shmlab reports the median of its own 5 repeats;
# the C program runs 5 times per method and process count, with the repeat
# as the outer loop so that a slow spell of the VM hits every method once
# instead of one method five times.
bench-locks: build $(BENCH)/locks_c
	$(BIN) bench locks --procs 1 --procs 2 --json $(BENCH)/locks.json
	@rm -f $(BENCH)/locks_c.txt
	for run in 1 2 3 4 5; do for m in $(LOCK_METHODS); do for p in 1 2; do \
		$(BENCH)/locks_c $$m $$p $(LOCK_OPS) >>$(BENCH)/locks_c.txt || exit 1; \
	done; done; done
	python3 bench/compare_locks.py $(BENCH)/locks.json $(BENCH)/locks_c.txt $(BENCH)/locks.md

$(BENCH)/touch_c: bench/touch.c
	@mkdir -p $(BENCH)
	$(CC) -O2 -Wall -Wextra -o $@ $<

# First touch of a 1 GiB shared mapping: shmlab memory against a plain C
# memset, alternated, after a warm-up round (a VM backs guest memory on first
# touch, which would otherwise decide the comparison). The 2 MiB rows need
# root: the script raises vm.nr_hugepages and restores it.
bench-memory: build $(BENCH)/touch_c
	python3 bench/compare_touch.py $(BIN) $(BENCH)/touch_c 1024 7 $(BENCH)/touch.md
