# shmlab in English: racing. Every message must exist in ../zh/racing.ftl
# with the same arguments (tested). Numbers arrive formatted.

## racing
racing-backend = backend
racing-lock = lock
racing-protects = protects
racing-expected = expected
racing-final-spread = final min/med/max
racing-finals = finals
racing-lost-median = lost med
racing-ms-median = ms med
racing-final = final
racing-lost = lost
racing-ms = ms
racing-yes = yes
racing-no = NO
racing-every-trial = Every trial:
racing-finals-spread = `finals` shows how the { $trials } finals spread between min and max; --long (or --json) lists every trial.
racing-one-child = one child
racing-each-child = each of the { $children } children
racing-times = , { $n } times
racing-how-to-read = How to read this: { $who } read the shared counter, slept { $delay } µs, then wrote back what it had read plus one{ $times }. Run one after another they would leave { $expected }.
racing-reading-lost = Run at the same time they do not: { $losing } of { $total } unprotected trials lost updates, up to { $lost } of { $expected } ({ $what }). A child that reads the counter while another child sits between its read and its write reads the same old value; both write back old + 1, and one increment vanishes. That is a lost update, and the final value counts only the writes that survived. The counter lives in memory every child really shares; sharing is not the problem, the unprotected read-modify-write is. How many updates get lost depends on how the children overlap: CPUs, scheduler, timer slack and fork speed, so it varies from run to run and machine to machine.
racing-control = With one child nothing can overlap, so no update can be lost: that is the control experiment.
racing-no-overlap = Every unprotected trial here came out exact: the children did not overlap this time (fork was slower than each child's work). Raise --children or --delay-us to make them overlap, and updates will be lost.
racing-protections = The protections:
racing-exact = every trial exact
racing-lost-updates = lost updates

## locks: what each protection is
lock-none = no protection: concurrent read-modify-writes overwrite each other
lock-atomic = no lock at all: one atomic fetch_add makes the read-modify-write indivisible
lock-flock = flock on a descriptor each child opened itself: one open file description per child
lock-fcntl = POSIX record lock: owned by the process, so an inherited descriptor works
lock-ofd = OFD lock on a descriptor each child opened itself: owned by its open file description
lock-posix-sem = unnamed semaphore in the shared page; uncontended sem_wait is one atomic, no syscall
lock-named-sem = named semaphore in /dev/shm/sem.*; the same futex word, reached by name
lock-sysv-sem = System V semaphore: every semop is a system call; SEM_UNDO undoes a dead holder
lock-mutex = robust process-shared mutex: futex fast path; a dead owner is reported as EOWNERDEAD
lock-mutex-nonrobust = process-shared mutex without the robust attribute: fast, but a dead owner keeps it
lock-flock-inherited = NOT a lock between the children: they all share the parent's open file description, and a flock belongs to the open file description, so every child already 'holds' it
